"""Numbers and choices of life after filing (Filings II); each number cites its seed clause. The
validity period itself is Filings I's ``constants.VALIDITY_YEARS`` (seed 001 第十条(五))."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import VALIDITY_YEARS

# seed 001 第十二条: 评价机构应在备案期满前60日内 ... 提出备案续期申请. Day 60 before expiry is inside.
RENEWAL_WINDOW_DAYS = 60
# An approved renewal extends validity by this many years from the OLD expiry (seed 001 第十二条 with
# 第十条(五) "有效期3年"; seed 004 四(二) "资质有效期为3年").
RENEWAL_EXTENSION_YEARS = VALIDITY_YEARS
# Renewal reminders (days before expiry), each sent once on its day (a late run catches up the latest
# step due, once): 90, 60 and 30 are issue 39's "filing expiry at 90, 60 and 30 days"; 60 is also the day
# seed 001 第十二条's window opens (评价机构应在备案期满前60日内 ... 提出备案续期申请); 7 is the portal's
# choice (issue 5's last call, kept).
RENEWAL_REMINDER_DAYS = (90, 60, 30, 7)
# Directory and complaint pages.
DIRECTORY_PAGE_SIZE = 20
# Complaint form: per-IP rate in the setting FILING_COMPLAINT_RATE (default "5/h", views/after_filing.py).
AFTER_QUEUE_PAGE_SIZE = 25
# 双随机 (seed 001 第十九条): default sizes of a draw; staff choose per draw.
DRAW_DEFAULT_INSTITUTIONS = 3
DRAW_DEFAULT_INSPECTORS = 2


def complaint_attachment_max_bytes() -> int:
    return getattr(settings, "FILING_COMPLAINT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


class ChangeKind(models.TextChoices):
    # seed 001 第十一条: 评价职业（工种）、等级、工作人员、评价地点; equipment with the site (seed 004 四).
    PERSONNEL = "personnel", _("人员变更")
    SITE = "site", _("评价地点（场地）变更")
    EQUIPMENT = "equipment", _("设施设备变更")
    # seed 001 第十一条: a scope change adds or removes occupations (工种) or levels; only an addition is
    # evaluated again (其中，增加评价职业（工种）、等级的，应按照备案程序重新进行评估).
    SCOPE = "scope", _("评价职业（工种）或等级变更")


class ChangeAction(models.TextChoices):
    ADD = "add", _("增加")
    REMOVE = "remove", _("减少")


class ChangeState(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    UNDER_EVALUATION = "under_evaluation", _("专家评估")
    EVALUATED = "evaluated", _("待市人社局审核")
    APPROVED = "approved", _("审核通过待备案")
    APPLIED = "applied", _("已变更")
    REJECTED = "rejected", _("不予变更")


CHANGE_OPEN_STATES = (
    ChangeState.SUBMITTED,
    ChangeState.UNDER_EVALUATION,
    ChangeState.EVALUATED,
    ChangeState.APPROVED,
)


class RenewalState(models.TextChoices):
    SUBMITTED = "submitted", _("待评估")
    APPROVED = "approved", _("准予续期")
    REFUSED = "refused", _("不予续期")
    LAPSED = "lapsed", _("备案已注销，续期申请失效")


class TerminationState(models.TextChoices):
    SUBMITTED = "submitted", _("待注销")
    DONE = "done", _("已注销")


class BlacklistState(models.TextChoices):
    LISTED = "listed", _("在列")
    LIFTED = "lifted", _("已移出")


class SanctionKind(models.TextChoices):
    # seed 001 第二十四条; seed 002 第六条 (取消评价资质，纳入“黑名单”).
    INTERVIEW = "interview", _("约谈评价机构负责人")
    CRITICISM = "criticism", _("通报批评")
    RECTIFICATION = "rectification", _("限期整改")
    REVOCATION = "revocation", _("撤销备案并纳入黑名单")


class ComplaintState(models.TextChoices):
    OPEN = "open", _("待处理")
    INVESTIGATING = "investigating", _("调查核实中")
    CLOSED = "closed", _("已办结")


class ComplaintOutcome(models.TextChoices):
    UNFOUNDED = "unfounded", _("经核实不属实")
    FOUNDED = "founded", _("经核实属实")
    PARTLY = "partly", _("部分属实")
    NOT_ACCEPTED = "not_accepted", _("不属于受理范围")


class InspectionKind(models.TextChoices):
    # seed 001 第十九条: 日常督导和专项督导.
    DAILY = "daily", _("日常督导")
    SPECIAL = "special", _("专项督导")


class InspectionMethod(models.TextChoices):
    # seed 001 第十九条: 现场检查、数据对比、远程监控 (daily); 调取资料、调研交流 (special).
    ONSITE = "onsite", _("现场检查")
    DATA = "data", _("数据对比")
    REMOTE = "remote", _("远程监控")
    RECORDS = "records", _("调取资料")
    INTERVIEW = "interview", _("调研交流")


class ReferralState(models.TextChoices):
    # seed 001 第二十四条、第二十六条: 涉嫌违法的，移交有关部门依法处理 — referred, then its outcome recorded.
    REFERRED = "referred", _("已移交，待反馈")
    CONCLUDED = "concluded", _("已反馈处理结果")


class ReferralGround(models.TextChoices):
    # The two clauses that refer a case on (seed 001).
    INSTITUTION = "institution", _("评价机构涉嫌违法")
    STAFF = "staff", _("管理部门工作人员涉嫌违法")


# seed 001 第十九条第二款 (“双随机、一公开”): the public page of supervision results, rows per page.
PUBLIC_INSPECTIONS_PAGE_SIZE = 20
