"""The numbers and choices of the assessment procedure. Each regulatory number is one named constant
citing its seed clause; overridable ones are read with ``getattr(settings, NAME, default)`` in rules.py."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import notices

# -- exams and review ------------------------------------------------------------------------------
# seed 001 第十四条 / seed 002 综合评审工作流程: scores are out of 100, recorded to one decimal
MAX_SCORE = Decimal("100")
SCORE_STEP = Decimal("0.1")
PASS_MARK = Decimal("60")  # seed 001 第十四条 / seed 002 综合评审工作流程 四: theory and practical >= 60
THESIS_WEIGHT = Decimal("0.4")  # seed 002 综合评审工作流程 五(二): 论文内容评分占总成绩的40%
DEFENCE_WEIGHT = Decimal("0.6")  # seed 002 综合评审工作流程 五(二): 答辩情况占60%
DEFENCE_PASS_MARK = Decimal("60")  # seed 002 综合评审工作流程 五(二): 总评成绩达到60分
MIN_QUESTIONS = 4  # seed 002 综合评审工作流程 五(二): 评审专家须提4至6个问题
MAX_QUESTIONS = 6  # seed 002 综合评审工作流程 五(二)
PERFORMANCE_PASS_MARK = Decimal("60")  # seed 002 综合评审工作流程 五(三): 60分及以上为合格
MIN_PANEL = 3  # seed 002 综合评审工作流程 三: 评审专家组不少于3人 (odd, so a majority always exists)
# seed 002 综合评审工作流程 三: 专家应具备高级考评员资格 (the qualification the pool is drawn on)
PANEL_QUALIFICATION = "senior_assessor"
RETRY_WITHIN_DAYS = 365  # seed 002 综合评审工作流程 四: 一年内重新评审一次
MAX_REVIEW_ATTEMPTS = 2  # seed 002 综合评审工作流程 四: the first review plus one retry
REVIEW_LEVELS = frozenset({1, 2})  # seed 002 综合评审工作流程: 技师 (2) and 高级技师 (1)
REVIEW_MONTHS = 1  # seed 002 综合评审工作流程 五(一): 市鉴定中心在收到材料后1个月内完成综合评审工作
# seed 002 综合评审工作流程 五(一): 申报单位于理论和操作鉴定结束后一周内，将申报材料报送市鉴定中心 — a week of
# calendar days after the last exam day (the plan's end date); materials received later are marked late.
MATERIALS_SUBMIT_DAYS = 7
THESIS_LEVEL = 1  # seed 002 综合评审工作流程 三: 高级技师须先进行论文答辩

# -- staffing defaults (national occupational standards, e.g. 保育师 2021 §1.9.3) --------------------
CANDIDATES_PER_INVIGILATOR = 15  # theory: >= 1 invigilator per 15 candidates
MIN_INVIGILATORS_PER_ROOM = 2  # theory: >= 2 invigilators per room
CANDIDATES_PER_ASSESSOR = 5  # practical: >= 1 assessor per 5 candidates
MIN_ASSESSORS = 3  # practical: at least 3 assessors, an odd number
MIN_SUPERVISORS = 1  # seed 001 第二十一条: 逢评必督

# -- enterprise on-site appraisal ----------------------------------------------------------------
ON_SITE_MIN_EXCLUSIVE = 15  # seed 002 附件1 三: 单次申报单一职业（工种）超过15人

# -- clocks (working days) -----------------------------------------------------------------------
PLAN_LEAD_WORKING_DAYS = 5  # seed 001 第十六条(一): 在实施前5个工作日报送
REPORT_WORKING_DAYS = 5  # seed 001 第十六条(三): 认定结束后5个工作日内报市鉴定中心
VERIFY_WORKING_DAYS = 5  # seed 001 第十六条(三): 市鉴定中心在5个工作日内核对
UPLOAD_WORKING_DAYS = 10  # seed 001 第十六条(三): 在10个工作日内上传部鉴定中心
DUE_SOON_WORKING_DAYS = 2  # display only: amber when the due date is this close

# -- upward reporting (seed 004 四(四)3 / 附件7) ------------------------------------------------------
# seed 004 四(四)3: 技工院校根据审核通过的认定结果填写职业技能等级认定结果汇总表（附件7），于月末报至各市公共就业
# 服务机构主管部门 — each month's summary is due on that month's last day (0 days after it); the day after
# it is overdue.
MONTHLY_SUMMARY_DAYS_AFTER_MONTH_END = 0
# Not from the notice (it names no reminder): the portal's choice. The reminder shows from this many
# calendar days before the due date through the due date itself.
MONTHLY_SUMMARY_REMINDER_DAYS = 5
# Not from the notice: how many months back an institution's list of monthly summaries reaches.
MONTHLY_SUMMARY_LIST_MONTHS = 12


# -- reminders (issue 39 item 1) -----------------------------------------------------------------------
# Issue 39: "an expert's qualification (高级考评员 etc.) expiring within 30 days": the expert and the centre
# are reminded once per qualification and expiry date, from this many calendar days before its last valid
# day through that day (a lapsed qualification is out of the draw pool, workflow.expert_pool).
EXPERT_QUALIFICATION_REMINDER_DAYS = 30


class ReminderKind(models.TextChoices):
    """What a reminder of certification.reminders is about (one row per kind, object and step)."""

    QUALIFICATION = "qualification", _("专家资格即将到期")
    MONTHLY_SUMMARY = "monthly_summary", _("月度汇总表待报送")
    REVIEW_OVERDUE = "review_overdue", _("综合评审已超期")


class MonthlyState(models.TextChoices):
    """Where an institution's summary of one month stands (seed 004 四(四)3: 于月末报)."""

    OPEN = "open", _("待报送")
    REMINDER = "reminder", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    SUBMITTED = "submitted", _("已报送")
    LATE = "late", _("逾期报送")


# -- retention -----------------------------------------------------------------------------------
PAPER_RETENTION_YEARS = 3  # seed 001 第十七条; seed 004 四(四)4: 纸质资料保管不少于3年
ELECTRONIC_RETENTION_YEARS = 5  # seed 001 第十七条; seed 004 四(四)4: 电子材料不少于5年

# -- uploads -------------------------------------------------------------------------------------
MAX_ROSTER_ROWS = 5000  # not from the notices: rows of one plan's roster or score sheet (more is refused)
# A candidate's document number as stored (portal.identifiers.check_document): 18 for a resident ID, up to 23 for
# a foreign passport (the 3-letter issuing country and 5 to 20 letters or digits).
CANDIDATE_NUMBER_LENGTH = 23


class Level(models.IntegerChoices):
    """seed 001 第六条: 1 is the highest."""

    SENIOR_TECHNICIAN = 1, _("高级技师（一级）")
    TECHNICIAN = 2, _("技师（二级）")
    SENIOR_WORKER = 3, _("高级工（三级）")
    INTERMEDIATE = 4, _("中级工（四级）")
    JUNIOR = 5, _("初级工（五级）")


class Method(models.TextChoices):
    """Assessment methods (seed 001 第十四条; seed 004 三(二))."""

    THEORY = "theory", _("理论知识考试")
    PRACTICAL = "practical", _("技能操作考核")
    PROCESS = "process", _("过程化考核")
    PERFORMANCE = "performance", _("业绩评审")
    DIRECT = "direct", _("直接认定")
    COMPETITION = "competition", _("竞赛选拔")


# seed 001 第十四条: employers may add process assessment, performance review and direct recognition;
# seed 004 三(二): technical schools add competition results; everyone else theory + practical.
EMPLOYER_METHODS = frozenset(
    {Method.THEORY, Method.PRACTICAL, Method.PROCESS, Method.PERFORMANCE, Method.DIRECT}
)
SCHOOL_METHODS = frozenset({Method.THEORY, Method.PRACTICAL, Method.COMPETITION})
STANDARD_METHODS = frozenset({Method.THEORY, Method.PRACTICAL})
EXAM_METHODS = frozenset({Method.THEORY, Method.PRACTICAL})
SCHOOL_KINDS = frozenset(
    {"technician_college", "senior_technical_school", "technical_school", "vocational_school"}
)


class Relation(models.TextChoices):
    """A candidate's relation to the institution that assesses them (the roster's 与本单位关系)."""

    EMPLOYEE = "employee", _("本单位职工")
    DISPATCHED = "dispatched", _("劳务派遣人员")
    OUTSOURCED = "outsourced", _("劳务外包人员")
    INTERN = "intern", _("在企业实习人员")
    STUDENT = "student", _("本校学生")
    PUBLIC = "public", _("社会人员")


# seed 001 第二条: 用人单位可以对本单位职工（含劳务派遣、劳务外包及在企业实习人员等各类用工人员）自主开展
# 职业技能等级认定; 社会培训评价组织面向社会.
EMPLOYER_RELATIONS = frozenset({Relation.EMPLOYEE, Relation.DISPATCHED, Relation.OUTSOURCED, Relation.INTERN})
# seed 000 一 (院校面向本校学生开展自主评价) / seed 004 二(四) (技工院校面向本院校学生进行职业技能等级认定).
SCHOOL_RELATIONS = frozenset({Relation.STUDENT})
# What a roster cell may say for each relation (the label, and the words clerks write for it).
RELATION_WORDS = {
    Relation.EMPLOYEE: ("本单位职工", "职工", "在职职工", "员工", "本单位员工"),
    Relation.DISPATCHED: ("劳务派遣人员", "劳务派遣"),
    Relation.OUTSOURCED: ("劳务外包人员", "劳务外包", "业务外包", "业务外包人员"),
    Relation.INTERN: ("在企业实习人员", "实习人员", "实习", "实习生"),
    Relation.STUDENT: ("本校学生", "学生", "在校学生", "本院校学生"),
    Relation.PUBLIC: ("社会人员", "社会考生", "其他"),
}


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审查")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过审查")
    IN_PROGRESS = "in_progress", _("实施中")
    RESULTS_REPORTED = "results_reported", _("结果已上报")
    VERIFIED = "verified", _("已核对")
    UPLOADED = "uploaded", _("已上传部鉴定中心")


class StaffRole(models.TextChoices):
    ASSESSOR = "assessor", _("考评员")
    SUPERVISOR = "supervisor", _("质量督导员")
    INVIGILATOR = "invigilator", _("监考人员")


class Verification(models.TextChoices):
    PENDING = "pending", _("待核对")
    ACCEPTED = "accepted", _("核对无误")
    RETURNED = "returned", _("退回修改")


class OtherResult(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class Qualification(models.TextChoices):
    """Qualifications of review experts recorded by the centre."""

    SENIOR_ASSESSOR = "senior_assessor", _("高级考评员")


class Clock(models.TextChoices):
    REPORT = "report", _("结果上报")
    VERIFY = "verify", _("中心核对")
    UPLOAD = "upload", _("上传部鉴定中心")
    REVIEW = "review", _("综合评审")


# -- candidate photos (issue 29 item 1) ------------------------------------------------------------
# The largest photo kept: the certificates app refuses to print a larger one (its PHOTO_MAX_BYTES, 5 MB),
# so a larger file is refused here already, where the institution can still replace it.
PHOTO_MAX_BYTES = 5 * 1024 * 1024
# A ZIP of photos named by ID number: at most this many files (a plan's roster is far smaller; the
# archive's own size and inflation are bounded by portal.uploads.zip_members).
PHOTO_ZIP_MAX_FILES = 2000
# Not from the notices: an archive of more photo files than this is imported by the worker, the page showing
# its progress (issue 39 item 4); each photo's checks take some 20-50 ms, so 100 files answer within seconds.
PHOTO_ZIP_BACKGROUND_FILES = 100

# -- the candidate's photo by content (issue 39 item 3; certification.photo_check) -------------------
# seed 004 附件6 3 (职业技能等级证书制作说明): 个人照片 2 寸彩色（白底），35mm×49mm. The frame's proportions:
PHOTO_FRAME_WIDTH_MM, PHOTO_FRAME_HEIGHT_MM = 35, 49
# Not from the notice (it names no pixel count): the portal's choice. The smallest photo accepted is the
# 1-inch digital size every photo studio delivers (25×35 mm at 300 dpi = 295×413 pixels); printed in the
# 35×49 mm frame it still has about 214 dpi, enough for a sharp face. Smaller files print blurred.
PHOTO_MIN_WIDTH_PX, PHOTO_MIN_HEIGHT_PX = 295, 413
# Not from the notice: the portal's choice. The width:height ratio may differ from 35:49 by at most this
# many percent (issuance crops the rest at the centre, certificates.photos.normalise_photo): a 3:4 crop
# (5 %) and the 33:48 "small 2-inch" (4 %) pass, a square or landscape picture does not.
PHOTO_ASPECT_TOLERANCE_PERCENT = 6
# seed 004 附件6 3: 白底 — the background is plain white. Paper-white and light grey count as white (a
# photo studio's backdrop under its lights): a pixel is near-white when each of its channels is at least
# PHOTO_WHITE_MIN_CHANNEL and its channels differ by at most PHOTO_WHITE_MAX_SPREAD (neutral, not a
# pale blue or cream backdrop). The numbers are the portal's choice.
PHOTO_WHITE_MIN_CHANNEL = 200
PHOTO_WHITE_MAX_SPREAD = 24
# seed 004 附件6 3: 白底 — the background strip is the outer PHOTO_BORDER_PERCENT of the top edge and of
# the left and right edges down to PHOTO_BORDER_SIDE_DEPTH_PERCENT of the height (the shoulders fill the
# bottom edge of any portrait); at least PHOTO_BORDER_MIN_WHITE_PERCENT of it must be near-white (a few
# stray hairs pass, a pattern does not). The numbers are the portal's choice.
PHOTO_BORDER_PERCENT = 6
PHOTO_BORDER_SIDE_DEPTH_PERCENT = 60
PHOTO_BORDER_MIN_WHITE_PERCENT = 90
# seed 004 附件6 3: 个人照片 — a face must be there. The portal's choice: in the central region (the middle
# PHOTO_FACE_REGION_PERCENT of the width, from 15 % to 65 % of the height, where a 2-inch photo has the
# head) at least PHOTO_FACE_MIN_PERCENT of the pixels differ from the background's colour by more than
# PHOTO_FACE_DIFFERENCE in some channel. A blank or nearly blank picture is refused.
PHOTO_FACE_REGION_PERCENT = 40
PHOTO_FACE_TOP_PERCENT, PHOTO_FACE_BOTTOM_PERCENT = 15, 65
PHOTO_FACE_MIN_PERCENT = 25
PHOTO_FACE_DIFFERENCE = 40
# Not from the notice: the portal's choice, against decompression bombs. No 2-inch photo needs more than
# this many pixels (a 24-megapixel camera picture is under it); the header is read before any decoding.
PHOTO_MAX_PIXELS = 40_000_000
# Not from the notice: the checks run on a copy scaled down to this many pixels across (speed).
PHOTO_CHECK_WIDTH_PX = 140


# The clauses the pages cite by name ({{ "plan_lead"|clause }}, portal.notices.register_clauses).
notices.register_clauses(
    plan_lead="seed 001 第十六条(一)",
    result_upload="seed 001 第十六条(三)",
    issue_after_publication="seed 001 第十六条(四)",
    records_retention="seed 001 第十七条",
    review_month="seed 002 综合评审工作流程 五(一)",
    review_materials_week="seed 002 综合评审工作流程 五(一)",
    review_location="seed 002 综合评审工作流程 三",
    review_panel="seed 002 综合评审工作流程 五(四)",
    summary_table="seed 004 附件7",
    monthly_summary="seed 004 四(四)3",
    every_session_supervised="seed 001 第二十一条",  # 逢评必督: no exam session without a quality supervisor
)

# -- admission tickets (准考证, issue 44 item 2; certification/tickets.py) ----------------------------------
# The public ticket download counts against a budget of its own (cache key prefix "certification_ticket")
# at the rate of the public certificate lookup: the same setting, CERTIFICATE_LOOKUP_RATE, and its default
# (certificates.constants.LOOKUP_RATE_SETTING / LOOKUP_RATE_DEFAULT; certificates sits above this app, so
# the names are repeated here and tests/certification/test_tickets.py checks that they agree).
TICKET_RATE_SETTING = "CERTIFICATE_LOOKUP_RATE"
TICKET_RATE_DEFAULT = "20/m"
