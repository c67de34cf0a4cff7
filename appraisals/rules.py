"""The rules of the enterprise 职业技能鉴定 (seed 002 附件1 一 to 三, 四(四)), each in one named place citing its
clause; plain functions of what the application says, each returning a refusal (its reason, citing the
clause as users read it) or None. The service (workflow.py) checks them on create, update and submit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from certification import rules as certification_rules
from portal import identifiers, workdays
from portal.notices import cite

from .constants import CREDIT_CODE_REGION, MAY_ADJUST_QUESTIONS, REPORT_WORKING_DAYS, Category


def region_code(credit_code: str) -> str:
    """The registration authority's 行政区划码 (characters 3 to 8) of a unified social credit code."""
    return identifiers.normalize_credit_code(credit_code)[CREDIT_CODE_REGION]


def tianjin_refusal(credit_code: str) -> str | None:
    """附件1 一: an enterprise registered in Tianjin (its credit code's region code begins with the city's
    code, settings.PROVINCE_CODE: 12)."""
    try:
        identifiers.validate_credit_code(credit_code)
    except ValidationError as error:
        return " ".join(error.messages)
    if not region_code(credit_code).startswith(settings.PROVINCE_CODE):
        return _(
            "只支持在本市行政区域注册的企业开展职业技能鉴定（%(ref)s）：统一社会信用代码的登记管理机关"
            "行政区划码 %(region)s 不属于本市。"
        ) % {"ref": cite("seed 002 附件1 一"), "region": region_code(credit_code)}
    return None


def occupation_refusal(occupation) -> str | None:
    """附件1 二: an occupation of the 国家职业资格目录 appraised by the 市人社局 (Occupation.bureau_appraisal)."""
    if occupation is None:
        return _("请选择鉴定职业（工种）。")
    if not occupation.bureau_appraisal:
        return _(
            "“%(name)s”不在《国家职业资格目录》中由市人社局单独或会同有关行业协会实施技能鉴定的职业（工种）"
            "范围内，企业不能申请鉴定（%(ref)s）。"
        ) % {"name": occupation.name, "ref": cite("seed 002 附件1 二")}
    return None


def on_site_refusal(candidates_in_occupation: int) -> str | None:
    """附件1 三: on site only with more than 15 candidates of the occupation in one application
    (certification.constants.ON_SITE_MIN_EXCLUSIVE, the one place that number lives)."""
    refusal = certification_rules.on_site_refusal(candidates_in_occupation)
    if refusal is None:
        return None
    return f"{refusal}（{cite('seed 002 附件1 三')}）"


def may_adjust_questions(category: str) -> bool:
    """附件1 三(一): only 经认定的企业培训中心、公共实训基地、开展企校合作的企业 may ask to adjust the questions."""
    return category in MAY_ADJUST_QUESTIONS


def adjustment_refusal(category: str) -> str | None:
    """附件1 三(二): the other enterprises may run the appraisal on site but not ask for 调整试题."""
    if may_adjust_questions(category):
        return None
    return _(
        "只有经认定的企业培训中心、公共实训基地或开展企校合作的企业可以申请调整试题（%(ref)s）；"
        "“%(category)s”不能申请（%(other)s）。"
    ) % {
        "ref": cite("seed 002 附件1 三(一)"),
        "category": Category(category).label if category in Category.values else category,
        "other": cite("seed 002 附件1 三(二)"),
    }


def evidence_refusal(category: str, has_evidence: bool) -> str | None:
    """附件1 三(一): an enterprise that says it is of 三(一) shows it (the 认定 or 合作 document)."""
    if may_adjust_questions(category) and not has_evidence:
        return _("选择“%(category)s”的，请上传证明材料（%(ref)s）。") % {
            "category": Category(category).label,
            "ref": cite("seed 002 附件1 三(一)"),
        }
    return None


# -- 四(四) 成绩认定 -----------------------------------------------------------------------------------


def passed(theory, practical) -> bool:
    """附件1 四(四): 理论考试 and 技能操作考核 each passed at 60 (certification.rules.exam_passed, the one
    place the pass mark is applied); a missing score is not a pass."""
    return certification_rules.exam_passed(theory) and certification_rules.exam_passed(practical)


def mask_name(name: str) -> str:
    """A name on a public page: its first character, the rest as * (王小明 -> 王**), as the ID number is
    shown with its middle masked (portal.identifiers.mask_document)."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


@dataclass(frozen=True)
class ReportClock:
    """The report of 附件1 四(四): due on the REPORT_WORKING_DAYS-th working day after ``since`` (the day the
    publicity ended, or the day the last objection standing at its end was resolved)."""

    since: date
    due: workdays.Deadline
    status: str  # certification.rules.clock_status: "overdue", "due_soon", "ok"

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"


def report_clock(
    publicity_end: date, last_resolved: date | None = None, on: date | None = None
) -> ReportClock:
    """附件1 四(四) 成绩公示无异议后，5个工作日内报市鉴定中心. Never raises: a year without an official
    calendar gives a provisional due date (portal.workdays.deadline_after)."""
    on = on or workdays.today()
    since = max(publicity_end, last_resolved) if last_resolved else publicity_end
    due = workdays.deadline_after(since, REPORT_WORKING_DAYS)
    return ReportClock(since, due, certification_rules.clock_status(due.date, on))
