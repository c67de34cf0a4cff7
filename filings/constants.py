"""Choices and regulatory numbers of the filing workflow; each number cites its seed clause."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eligibility import institution as conditions
from portal import levels, notices


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待初审")
    RETURNED = "returned", _("退回补正")
    REJECTED = "rejected", _("不予受理")
    UNDER_EVALUATION = "under_evaluation", _("专家评估")
    EVALUATED = "evaluated", _("待审核")
    APPROVED = "approved", _("审核通过待公示")
    IN_PUBLICITY = "in_publicity", _("公示中")
    AWAITING_RECORD = "awaiting_record", _("公示期满")
    PUBLISHED = "published", _("部系统已公布")
    FILED = "filed", _("已备案")
    EXPIRED = "expired", _("已到期")
    CANCELLED = "cancelled", _("已注销")
    REVOKED = "revoked", _("已撤销")


# States the applicant may still edit.
EDITABLE_STATES = (State.DRAFT, State.RETURNED)
# States a staff queue shows (in workflow order).
QUEUE_STATES = (
    State.SUBMITTED,
    State.UNDER_EVALUATION,
    State.EVALUATED,
    State.APPROVED,
    State.IN_PUBLICITY,
    State.AWAITING_RECORD,
    State.PUBLISHED,
    State.FILED,
    State.RETURNED,
    State.REJECTED,
)
# States with a running review clock: the due date on the queue is the review deadline.
REVIEW_CLOCK_STATES = (State.SUBMITTED,)
CLOSED_STATES = (State.REJECTED, State.EXPIRED, State.CANCELLED, State.REVOKED)


class Kind(models.TextChoices):
    ENTERPRISE = conditions.ENTERPRISE, _("企业")
    TECHNICIAN_COLLEGE = conditions.TECHNICIAN_COLLEGE, _("技工院校（技师学院）")
    SENIOR_TECHNICAL_SCHOOL = conditions.SENIOR_TECHNICAL_SCHOOL, _("技工院校（高级技工学校）")
    TECHNICAL_SCHOOL = conditions.TECHNICAL_SCHOOL, _("技工院校（技工学校）")
    VOCATIONAL_SCHOOL = conditions.VOCATIONAL_SCHOOL, _("职业院校")
    PUBLIC_TRAINING_BASE = conditions.PUBLIC_TRAINING_BASE, _("公共实训基地")
    INDUSTRY_ASSOCIATION = conditions.INDUSTRY_ASSOCIATION, _("行业协会")
    SOCIAL_GROUP = conditions.SOCIAL_GROUP, _("社会团体")
    OTHER = conditions.OTHER, _("民办非企业单位及其他")


class Route(models.TextChoices):
    EMPLOYER = conditions.ROUTE_EMPLOYER, _("用人单位自主评价（Y）")
    SOCIAL = conditions.ROUTE_SOCIAL, _("社会培训评价组织（S）")


class PersonRole(models.TextChoices):
    STAFF = "staff", _("专职工作人员")
    EXPERT = "expert", _("专家")
    ASSESSOR = "assessor", _("考评人员")
    SUPERVISOR = "supervisor", _("质量督导员")


class Basis(models.TextChoices):
    NATIONAL_STANDARD = "national_standard", _("国家职业技能标准")
    ENTERPRISE_SPEC = "enterprise_spec", _("企业评价规范")


class Ownership(models.TextChoices):
    OWNED = "owned", _("自有")
    LEASED = "leased", _("租赁")
    SHARED = "shared", _("共享/合作")


class SiteUse(models.TextChoices):
    """What an exam site is filed for: 理论 (written/computer) rooms, 实操 (practical) workplaces, or both."""

    THEORY = "theory", _("理论")
    PRACTICAL = "practical", _("实操")
    BOTH = "both", _("理论及实操")


LEVEL_CHOICES = sorted(levels.LEVEL_CHOICES)  # one table of level names (portal/levels.py)

# Attachment checklists. seed 000 附件2 (social training evaluation organisation, 8 items) and
# 附件3 (employer, 3 items). Item 1 of each is the application table itself, which the portal
# generates (the signed and sealed scan is uploaded as that item).
SOCIAL_CHECKLIST = [
    ("s1_form", _("《社会培训评价组织备案申请表》（签字盖章扫描件）"), True),
    ("s2_legal_person", _("法人登记证书复印件"), True),
    ("s3_plan", _("认定工作实施方案、管理制度、表单样本、质量管控措施、证书及印章式样"), True),
    ("s4_personnel", _("专职工作人员、专家团队、考评员、质量督导员信息及技能水平证明"), True),
    ("s5_assets", _("场地权属证明或租赁协议、固定资产清单、上年度财务审计报告及拟定收费标准"), True),
    ("s6_it", _("信息化建设情况说明"), True),
    ("s7_evidence", _("培训或评价等其他相关佐证材料"), True),
    ("s8_national", _("全国性备案组织推荐机构：部级备案回执、推荐文件及授权书（如适用）"), False),
]
EMPLOYER_CHECKLIST = [
    ("y1_form", _("《职业技能等级认定机构备案申请表》（签字盖章扫描件）"), True),
    ("y2_licence", _("企业营业执照复印件"), True),
    ("y3_rules", _("企业职业技能等级自主认定工作实施办法及质量管控措施"), True),
]
# seed 003 五(七): 培训评价人员花名册（含联系方式），from the organisations whose training-evaluation scale is
# a condition (an enterprise's 500 person-times, an other organisation's scale: seed 003 二(六)2-3).
ROSTER_ITEM = ("s9_roster", _("培训评价人员花名册（含联系方式）"), True)
ROSTER_KINDS = frozenset({conditions.ENTERPRISE}) | conditions.OTHER_ORGANISATION_KINDS
# seed 003 二(六)1: 技工院校应正常招生 — the school shows its enrolment of the current year.
ENROLMENT_ITEM = ("s10_enrolment", _("技工院校正常招生的证明（本年度招生计划或录取名册）"), True)
# seed 000 附件3: a branch in Tianjin of a group already filed (a central enterprise with the ministry, an
# enterprise of another province with its local bureau) hands in only the group's 备案回执 and its rules.
GROUP_BRANCH_CHECKLIST = [
    ("y4_group_receipt", _("集团（总公司）所获备案回执"), True),
    ("y3_rules", _("企业职业技能等级自主认定工作实施办法及质量管控措施"), True),
]
# 辽人社〔2020〕32号 四(一) 1-6: a 技工院校 applies with its own six materials, not those of seed 000 附件2. Item 1 is
# the 附件1 form the portal prints (uploaded signed and stamped); item 2 the 附件2 工作方案, typed in the application
# (SchoolWorkPlan), printed, and uploaded signed and stamped.
SCHOOL_CHECKLIST = [
    ("t1_form", _("《技工院校职业技能等级认定申请表》（签字盖章扫描件）"), True),
    ("t2_plan", _("《技工院校职业技能等级认定工作方案》（签字盖章扫描件）"), True),
    ("t3_rules", _("技工院校财务制度和管理制度"), True),
    ("t4_standards", _("开展认定的职业（工种）及评价标准或评价规范"), True),
    ("t5_assets", _("场地、设施设备、视频监控设备等资产有效证明文件复印件"), True),
    (
        "t6_organisation",
        _("认定工作机构及工作制度；专职工作人员、专家、考评人员、质量督导人员名单及质量管控文件"),
        True,
    ),
]
# 辽人社〔2020〕32号 四(二): 通过核验的技工院校须签署开展职业技能等级认定工作承诺书. The notice has it signed once the
# school has passed 核验; the portal asks for it with the package (an applicant cannot upload once its
# application is submitted) and the bureau's approval, which follows the 核验, is where it must be there.
SCHOOL_PLEDGE_ITEM = ("t7_pledge", _("开展职业技能等级认定工作承诺书（签字盖章）"), True)
# 辽人社〔2020〕32号 附件1 五 注: 非本单位人员 hand in 本人签署的提供评价服务承诺书 or the 合作协议 with the school. Required
# when a person of the application is marked 非本单位人员 (filings.workflow.missing_sections).
EXTERNAL_PEOPLE_ITEM = ("t8_external", _("非本单位人员的提供评价服务承诺书或合作协议复印件"), False)
ALL_ATTACHMENT_ITEMS = {
    code: label
    for code, label, _required in SOCIAL_CHECKLIST
    + EMPLOYER_CHECKLIST
    + GROUP_BRANCH_CHECKLIST
    + SCHOOL_CHECKLIST
    + [ROSTER_ITEM, ENROLMENT_ITEM, SCHOOL_PLEDGE_ITEM, EXTERNAL_PEOPLE_ITEM]
}
# One-file items: the signed application table and the one registration certificate or business licence.
# Uploading such an item again replaces its file (issue 21 item 11); every other item collects files.
SINGLE_FILE_ITEMS = frozenset(
    {"s1_form", "s2_legal_person", "y1_form", "y2_licence", "t1_form", "t2_plan", "t7_pledge"}
)


def checklist(route: str, kind: str = "", group_branch: bool = False):
    """[(code, label, required)] for the route: seed 000 附件2 (S) or 附件3 (Y; a filed group's branch: the
    group's receipt and its rules only); on the S route, by the kind of institution, the 花名册 (seed 003
    五(七)); a technical school's own six materials, its 承诺书 and its outside people's pledges (辽人社〔2020〕32号
    四(一)(二), 附件1) and its enrolment (seed 003 二(六)1)."""
    if route != Route.SOCIAL:
        return GROUP_BRANCH_CHECKLIST if group_branch else EMPLOYER_CHECKLIST
    if kind in conditions.TECHNICAL_SCHOOL_KINDS:
        return [*SCHOOL_CHECKLIST, SCHOOL_PLEDGE_ITEM, ENROLMENT_ITEM, EXTERNAL_PEOPLE_ITEM]
    items = list(SOCIAL_CHECKLIST)
    if kind in ROSTER_KINDS:
        items.append(ROSTER_ITEM)
    return items


# Preliminary review (初审) in working days after submission: seed 001 第十条(二) says 5 on both routes.
# Seed 003 四(一) said 10 for social training evaluation organisations, but that was a 2020 call that has
# lapsed; the 管理办法 (seed 001) decides where they disagree (README "Which notice decides"). A setting
# per route (FILING_PRELIMINARY_REVIEW_WORKING_DAYS).
PRELIMINARY_REVIEW_WORKING_DAYS = 5  # seed 001 第十条(二): 在5个工作日内向申请单位告知材料初审结果
PRELIMINARY_REVIEW_WORKING_DAYS_DEFAULT = {
    Route.EMPLOYER: PRELIMINARY_REVIEW_WORKING_DAYS,
    Route.SOCIAL: PRELIMINARY_REVIEW_WORKING_DAYS,
}


def preliminary_review_days(route: str) -> int:
    days = getattr(
        settings, "FILING_PRELIMINARY_REVIEW_WORKING_DAYS", PRELIMINARY_REVIEW_WORKING_DAYS_DEFAULT
    )
    return int(days[route])


# Publicity (公示): 5 working days, seed 001 第十条(四) and seed 003 四(三); it starts on the first working
# day after the bureau's approval.
PUBLICITY_WORKING_DAYS = 5
# A filing is valid 3 years from the filing date: seed 001 第十条(五); seed 004 四(二).
VALIDITY_YEARS = 3
# Expert evaluation panel: at least 3 experts drawn at random (seed 002 综合评审 uses a panel of >= 3
# drawn from the expert pool; the issue applies the same rule to the filing evaluation).
MIN_EXPERTS = 3
# Queue colours: a row is amber when its due date is within this many working days.
DUE_SOON_WORKING_DAYS = 1
# Expert scores, each out of 100 (material review, on-site inspection, Q&A; seed 001 第十条(三)).
MAX_SCORE = 100

# Institution code of the certificate number (seed 004 附件5):
# 二 route code: "0000" when filed with the province first, else 0001-9999 assigned by the ministry.
PROVINCE_ROUTE_CODE = "0000"
# 四 the 6-digit institution sequence: 2-digit city/district + 1-digit institution type + 3-digit order.
SEQUENCE_ORDER_MAX = 999


class InstitutionType(models.IntegerChoices):
    # seed 004 附件5 四, 第3位
    CENTRAL_BRANCH = 1, _("1 央企分公司")
    PROVINCIAL_ENTERPRISE = 2, _("2 省属企业")
    MUNICIPAL_ENTERPRISE = 3, _("3 市属企业")
    TECHNICAL_SCHOOL = 4, _("4 技工院校")
    INDUSTRY_ASSOCIATION = 5, _("5 行业协会")
    OTHER = 6, _("6 其他")


def default_institution_type(kind: str) -> int:
    if kind == Kind.ENTERPRISE:
        return InstitutionType.MUNICIPAL_ENTERPRISE
    if kind in conditions.TECHNICAL_SCHOOL_KINDS:
        return InstitutionType.TECHNICAL_SCHOOL
    if kind == Kind.INDUSTRY_ASSOCIATION:
        return InstitutionType.INDUSTRY_ASSOCIATION
    return InstitutionType.OTHER


def default_city_code() -> str:
    # The province lays out the 2-digit city/district part (seed 004 附件5 四); a setting.
    return getattr(settings, "FILING_DEFAULT_CITY_CODE", "01")


def social_directory_only() -> bool:
    # seed 003 三 (2020) limited Tianjin's social organisations to its directory (附件1); seed 000 二 decides
    # now (skill-type occupations with a national standard), so the 2020 list is checked only on request.
    return getattr(settings, "FILING_SOCIAL_DIRECTORY_ONLY", False)


def attachment_max_bytes() -> int:
    return getattr(settings, "FILING_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)


# The clauses the pages cite by name ({{ "changes"|clause }}, portal.notices.register_clauses).
notices.register_clauses(
    notice_after_publication="seed 001 第十条(五)",
    sanctions="seed 001 第二十四条",
    supervision_draw="seed 001 第十九条",
    supervision_publicity="seed 001 第十九条",
    referral_institution="seed 001 第二十四条",
    referral_staff="seed 001 第二十六条",
    changes="seed 001 第十一条",
)
