"""Choices and fixed numbers of the enterprise 职业技能鉴定 (seed 002 附件1). The rules that use them live in
rules.py; the on-site threshold is certification's (``ON_SITE_MIN_EXCLUSIVE``), cited, not repeated."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.constants import (
    PASS_MARK,  # noqa: F401  (四(四): 60 in each exam)
    REVIEW_LEVELS,  # noqa: F401  (四(五), 五(三): 技师 and 高级技师, the levels a 综合评审 decides)
    THESIS_LEVEL,  # noqa: F401  (四(五): 高级技师 defend a thesis first)
    Level,  # noqa: F401  (seed 001 第六条: the five levels, 1 the highest)
)
from filings.constants import PUBLICITY_WORKING_DAYS
from portal import notices

# seed 002 附件1 一 支持我市行政区域注册的企业: the registration authority's region code (统一社会信用代码
# characters 3-8, GB 32100; 行政区划代码 GB/T 2260) begins with the city's code, settings.PROVINCE_CODE
# (12, 天津市; the one place the portal keeps it).
CREDIT_CODE_REGION = slice(2, 8)  # characters 3 to 8 of the 18

# The 入网备案 record number (seed 002 附件1 四(一)): JD + the year of filing + a 4-digit sequence of that
# year, e.g. JD20260001. Not from the notices (they give no format); allocated under a row lock
# (models.RecordSequence), the unique column as backstop.
RECORD_PREFIX = "JD"
RECORD_SEQUENCE_DIGITS = 4

EVIDENCE_KINDS = ("pdf", "jpeg", "png")  # the 三(一) evidence, checked by content (portal.uploads)


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已申报，待市鉴定中心审核")
    RETURNED = "returned", _("退回补正")
    REJECTED = "rejected", _("审核未通过")
    FILED = "filed", _("已入网备案，待命题")
    QUESTIONS_RECORDED = "questions_recorded", _("已命题，待派遣质量督导员")
    ARRANGED = "arranged", _("考务已安排，待录入成绩")
    PUBLICISED = "publicised", _("成绩公示")
    REPORTED = "reported", _("成绩已上报市鉴定中心")
    ISSUED = "issued", _("市人社局已核发职业资格证书")  # seed 002 附件1 四(六)


EDITABLE_STATES = (State.DRAFT, State.RETURNED)


# seed 002 附件1 四(四) 成绩认定: "成绩公示无异议后，5个工作日内报市鉴定中心" -- the report is due on the 5th
# working day after the day the publicity ends (or after the day the last objection is resolved, when
# one stood at its end): portal.workdays.deadline_after, provisional in a year without a calendar.
REPORT_WORKING_DAYS = 5
# The length of the score publicity: the notice gives none for 四(四); the portal publicises for the
# same 5 working days, counted the same way, as the filing publicity (filings.constants
# PUBLICITY_WORKING_DAYS, filings.workflow.publicity_period: from the first working day after it is
# published, that day included). One number, not a second copy.
SCORE_PUBLICITY_WORKING_DAYS = PUBLICITY_WORKING_DAYS

# The pass mark of 四(四) is certification's PASS_MARK (60 in the theory exam and in the practical exam,
# each; seed 001 第十四条; certification.rules.exam_passed), imported above, not repeated.


class ObjectionState(models.TextChoices):
    OPEN = "open", _("待处理")
    DISMISSED = "dismissed", _("异议不成立")
    UPHELD = "upheld", _("异议成立")


class Category(models.TextChoices):
    """seed 002 附件1 三: the enterprise says which kind it is (三(一) with evidence)."""

    TRAINING_CENTRE = "training_centre", _("经认定的企业培训中心")
    PUBLIC_TRAINING_BASE = "public_training_base", _("公共实训基地")
    SCHOOL_ENTERPRISE = "school_enterprise", _("开展企校合作的企业")
    OTHER = "other", _("其他具备实施职业技能鉴定条件的企业")


# seed 002 附件1 三(一): these may ask the 市鉴定中心 to adjust the questions (调整试题); 三(二) may not.
MAY_ADJUST_QUESTIONS = (Category.TRAINING_CENTRE, Category.PUBLIC_TRAINING_BASE, Category.SCHOOL_ENTERPRISE)


class QuestionSource(models.TextChoices):
    """seed 002 附件1 四(二): 组织专家修订编制或从国家题库抽取试题."""

    EXPERTS = "experts", _("组织专家修订编制")
    NATIONAL_BANK = "national_bank", _("从国家题库抽取")


notices.register_clauses(
    appraisal_who="seed 002 附件1 一",
    appraisal_scope="seed 002 附件1 二",
    appraisal_on_site="seed 002 附件1 三",
    appraisal_adjust="seed 002 附件1 三(一)",
    appraisal_filing="seed 002 附件1 四(一)",
    appraisal_questions="seed 002 附件1 四(二)",
    appraisal_arrangements="seed 002 附件1 四(三)",
    appraisal_scores="seed 002 附件1 四(四)",
    appraisal_review="seed 002 附件1 四(五)",
    appraisal_review_form="seed 002 附件1 五(三)",
    appraisal_certificates="seed 002 附件1 四(六)",
)
