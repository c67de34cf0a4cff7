"""Choices and fixed words of the title application (seed 002 附件2 二(三): 高技能人才参评技术职称)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eligibility import constants as rules

TECHNICIAN = "技术员"
# 附件2 二(二)1 and 二(三): 技术员 and 助理工程师 are 初级, appointed by the employer under 津人社局发〔2018〕31号.
JUNIOR_TITLES = (TECHNICIAN, rules.ASSISTANT_ENGINEER)
APPOINTMENT_RULE = rules.JUNIOR_TITLE_APPOINTMENT_RULE


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已申报，待单位推荐")
    IN_REVIEW = "in_review", _("待审核")
    RETURNED = "returned", _("退回补正")
    REJECTED = "rejected", _("审核未通过")
    SENT = "sent", _("已报送评审机构，待评审")
    PASSED = "passed", _("评审通过")
    FAILED = "failed", _("评审未通过")
    RECOGNISED = "recognised", _("破格认定")
    APPOINTED = "appointed", _("用人单位已聘任")


EDITABLE_STATES = (State.DRAFT, State.RETURNED)
FINAL_STATES = (State.REJECTED, State.PASSED, State.FAILED, State.RECOGNISED, State.APPOINTED)


class Route(models.TextChoices):
    # 附件2 二(三)2: 用人单位组织推荐并报送业务主管部门，非公经济组织和社会组织人员直接向中天人力申报
    EMPLOYER = "employer", _("用人单位推荐，报送业务主管部门")
    DIRECT = "direct", _("非公经济组织和社会组织人员，直接向中天人力申报")


class Title(models.TextChoices):
    TECHNICIAN = TECHNICIAN, _("技术员")
    ASSISTANT_ENGINEER = rules.ASSISTANT_ENGINEER, _("助理工程师")
    ENGINEER = rules.ENGINEER, _("工程师")
    SENIOR_ENGINEER = rules.SENIOR_ENGINEER, _("高级工程师")


class Level(models.IntegerChoices):
    L1 = 1, _("高级技师（一级）")
    L2 = 2, _("技师（二级）")
    L3 = 3, _("高级工（三级）")


class AchievementKind(models.TextChoices):
    # 附件2 二(二)2 业绩条件: 解决生产难题、参与技术改造、工艺革新、专利发明、传技带徒
    PRODUCTION_PROBLEM = "production_problem", _("解决生产难题")
    TECHNICAL_RENOVATION = "technical_renovation", _("技术改造")
    PROCESS_INNOVATION = "process_innovation", _("工艺革新")
    PATENT = "patent", _("专利发明")
    APPRENTICES = "apprentices", _("传技带徒")


class AppraisalResult(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASSED = "passed", _("合格")
    BASIC = "basic", _("基本合格")
    FAILED = "failed", _("不合格")


# 附件2 二(二)1 近3年年度考核合格: 优秀 and 合格 count as passed.
APPRAISAL_PASSED = (AppraisalResult.EXCELLENT, AppraisalResult.PASSED)


class CompetitionClass(models.TextChoices):
    CITY_CLASS_1 = rules.COMPETITION_CITY_CLASS_1, _("市级一类")
    CLASS_2 = rules.COMPETITION_CLASS_2, _("二类")
    OTHER = "其他", _("其他")


EVIDENCE_KINDS = ("pdf", "jpeg", "png")  # an achievement's evidence, checked by content (portal.uploads)


# -- 专业技术人才参加职业技能评价 (seed 002 附件2 三, 四(二)) -------------------------------------------


class SkillState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已申报，待受理")
    RETURNED = "returned", _("退回补正")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")


SKILL_EDITABLE_STATES = (SkillState.DRAFT, SkillState.RETURNED)
SKILL_FINAL_STATES = (SkillState.ACCEPTED, SkillState.REJECTED)


class SkillRoute(models.TextChoices):
    # 附件2 三(四)1: 向市鉴定中心申报职业技能鉴定考核，市鉴定中心进行考务安排
    APPRAISAL = "appraisal", _("职业技能鉴定（市鉴定中心）")
    # 附件2 三(四)2: 向评价机构申报职业技能等级认定，评价机构进行认定安排
    RECOGNITION = "recognition", _("职业技能等级认定（评价机构）")


class HeldTitle(models.TextChoices):
    # 附件2 三(二)1: 助理工程师、工程师、高级工程师
    ASSISTANT_ENGINEER = rules.ASSISTANT_ENGINEER, _("助理工程师")
    ENGINEER = rules.ENGINEER, _("工程师")
    SENIOR_ENGINEER = rules.SENIOR_ENGINEER, _("高级工程师")


class SkillLevel(models.IntegerChoices):
    """seed 001 第六条: 1 is the highest."""

    L1 = 1, _("高级技师（一级）")
    L2 = 2, _("技师（二级）")
    L3 = 3, _("高级工（三级）")
    L4 = 4, _("中级工（四级）")
    L5 = 5, _("初级工（五级）")


# 附件2 三(二): the levels a professional may apply for (三(二)1 gives 3/2/1; 三(二)2 晋级 the next one up).
SKILL_LEVELS_SOUGHT = (1, 2, 3, 4)
# 附件2 四(二)3: 专业技术职务任职资格证复印件, checked by content (portal.uploads).
TITLE_COPY_KINDS = ("pdf", "jpeg", "png")
