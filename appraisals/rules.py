"""The rules of the enterprise 职业技能鉴定 (seed 002 附件1 一 to 三), each in one named place citing its
clause; plain functions of what the application says, each returning a refusal (its reason, citing the
clause as users read it) or None. The service (workflow.py) checks them on create, update and submit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from certification import rules as certification_rules
from portal import identifiers
from portal.notices import cite

from .constants import CREDIT_CODE_REGION, MAY_ADJUST_QUESTIONS, Category


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
