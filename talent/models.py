"""The 高技能人才参评专业技术职称申请 (seed 002 附件2 二(三), 四(一)) and its rows: achievements (二(二)2, each
with an evidence file), annual appraisals, awards and competition placings.

The state is a protected django-fsm field: it changes only in the transitions below, fired through
portal.transitions by talent.workflow (row lock, role check, audit event, notices)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from portal import identifiers
from portal import roles as portal_roles
from portal.models import done_by

from . import roles
from .constants import (
    JUNIOR_TITLES,
    AchievementKind,
    AppraisalResult,
    CompetitionClass,
    Level,
    Route,
    State,
    Title,
)


def _member(user, role: str, institution_id) -> bool:
    return (
        institution_id is not None
        and getattr(user, "institution_id", None) == institution_id
        and portal_roles.has_role(user, role)
    )


def is_recommender(app, user) -> bool:
    """A user of the applicant's employer who recommends for it (推荐单位)."""
    return _member(user, roles.RECOMMENDER, app.employer_id)


def is_filer(app, user) -> bool:
    """The person who filed it, or the employer filing for them."""
    return (getattr(user, "pk", None) is not None and user.pk == app.filed_by_id) or is_recommender(app, user)


def is_reviewer(app, user) -> bool:
    """审核 and 报送 (附件2 二(三)3): the 业务主管部门 the employer sent it to, or 中天人力 on the direct route."""
    if app.route == Route.DIRECT:
        return portal_roles.has_role(user, roles.ZHONGTIAN)
    return _member(user, roles.DEPARTMENT, app.department_id)


def is_review_body(app, user) -> bool:
    """The 职称评审机构 it was sent to (附件2 二(三)4)."""
    return _member(user, roles.REVIEW_BODY, app.review_body_id)


def _on_employer_route(app) -> bool:
    return app.route == Route.EMPLOYER


def _on_direct_route(app) -> bool:
    return app.route == Route.DIRECT


def _reviewed_title(app) -> bool:
    return app.title_sought not in JUNIOR_TITLES


def _junior_title(app) -> bool:
    return app.title_sought in JUNIOR_TITLES


def _exceptional(app) -> bool:
    return bool(app.exceptional_clause)


class TitleApplication(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """高技能人才参评专业技术职称申请表 (seed 002 附件2 四(一))."""

    transition_lock = "row"
    state_refusal = _("职称申请当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该职称申请已被他人修改，请刷新后重试。")

    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    filed_by = done_by(_("填报人"), blank=False, related_name="title_applications")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    # The person
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18, validators=[identifiers.validate_id_number])
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # The employer and the post
    employer_name = models.CharField(_("工作单位"), max_length=200)
    employer = models.ForeignKey(
        "portal.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="title_applications",
        verbose_name=_("推荐单位"),
    )
    route = models.CharField(_("申报途径"), max_length=20, choices=Route.choices, default=Route.EMPLOYER)
    post = models.CharField(_("现工作岗位"), max_length=100)
    on_current_post_since = models.DateField(_("现岗位起始日期"))
    engineering_field = models.BooleanField(_("在工程技术领域工作"), null=True, blank=True)
    frontline_skill_post = models.BooleanField(_("在生产一线岗位从事技术技能工作"), null=True, blank=True)
    # The level held
    occupation = models.CharField(_("职业（工种）"), max_length=100)
    level = models.PositiveSmallIntegerField(_("现有技能等级"), choices=Level.choices)
    level_certificate_number = models.CharField(_("技能等级证书编号"), max_length=40)
    level_obtained_on = models.DateField(_("取得技能等级日期"))
    skill_work_years = models.PositiveSmallIntegerField(_("从事技术技能工作年限"))
    # What is asked for
    title_sought = models.CharField(_("申报职称"), max_length=20, choices=Title.choices)
    specialty = models.CharField(_("申报专业"), max_length=100)

    # The rules' decision (eligibility.titles.assess), stored on submission
    assessed_on = models.DateField(_("条件判断日期"), null=True, blank=True)
    decision = models.JSONField(_("申报条件判断"), default=list, blank=True)
    exceptional_clause = models.CharField(
        _("破格条款"), max_length=20, blank=True, help_text=_("破格申报所依据的条款，例如 附件2 二(二)3")
    )

    # The procedure
    submitted_at = models.DateTimeField(_("申报时间"), null=True, blank=True)
    recommended_by = done_by(_("推荐人"))
    recommended_at = models.DateTimeField(_("推荐时间"), null=True, blank=True)
    department = models.ForeignKey(
        "portal.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("业务主管部门"),
    )
    reviewed_by = done_by(_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    reject_reason = models.TextField(_("不予通过理由"), blank=True)
    review_body = models.ForeignKey(
        "portal.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("职称评审机构"),
    )
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    decided_by = done_by(_("评审结果录入人"))
    decided_at = models.DateTimeField(_("评审结果录入时间"), null=True, blank=True)
    review_opinion = models.TextField(_("评审意见"), blank=True)
    title_certificate_number = models.CharField(_("职称证书编号"), max_length=50, blank=True)
    title_certificate_date = models.DateField(_("职称证书日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("高技能人才参评专业技术职称申请")
        verbose_name_plural = _("高技能人才参评专业技术职称申请")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} · {self.get_title_sought_display()}"

    @property
    def reference(self) -> str:
        return f"ZC-{self.created_at:%Y}-{self.pk:06d}"

    @property
    def masked_id_number(self) -> str:
        return identifiers.mask_id_number(self.id_number)

    # -- 申报 (附件2 二(三)1) ----------------------------------------------------------------------------

    @transition(
        field=state,
        source=[State.DRAFT, State.RETURNED],
        target=State.SUBMITTED,
        permission=is_filer,
        conditions=[_on_employer_route, _reviewed_title],
    )
    def submit(self):
        """申报 to the employer, which recommends it (二(三)2)."""

    @transition(
        field=state,
        source=[State.DRAFT, State.RETURNED],
        target=State.IN_REVIEW,
        permission=is_filer,
        conditions=[_on_direct_route, _reviewed_title],
    )
    def file_direct(self):
        """非公经济组织和社会组织人员直接向中天人力申报 (二(三)2)."""

    # -- 推荐 (二(三)2) ---------------------------------------------------------------------------------

    @transition(field=state, source=State.SUBMITTED, target=State.IN_REVIEW, permission=is_recommender)
    def recommend(self):
        """The employer recommends it to its 业务主管部门."""

    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED, permission=is_recommender)
    def return_by_employer(self):
        """The employer sends it back to the person for correction (what was typed stays)."""

    # -- 审核 and 报送 (二(三)3) -------------------------------------------------------------------------

    @transition(field=state, source=State.IN_REVIEW, target=State.SENT, permission=is_reviewer)
    def approve(self):
        """审核通过, sent to a 职称评审机构."""

    @transition(field=state, source=State.IN_REVIEW, target=State.RETURNED, permission=is_reviewer)
    def return_for_correction(self):
        """退回补正: what was typed stays."""

    @transition(field=state, source=State.IN_REVIEW, target=State.REJECTED, permission=is_reviewer)
    def reject(self):
        """审核不予通过, with a reason."""

    # -- 评审 (二(三)4) ---------------------------------------------------------------------------------

    @transition(field=state, source=State.SENT, target=State.PASSED, permission=is_review_body)
    def record_pass(self):
        """通过评审: the title certificate."""

    @transition(field=state, source=State.SENT, target=State.FAILED, permission=is_review_body)
    def record_fail(self):
        """未通过评审."""

    @transition(
        field=state,
        source=State.SENT,
        target=State.RECOGNISED,
        permission=is_review_body,
        conditions=[_exceptional],
    )
    def record_recognition(self):
        """符合破格评审认定条件的，经职称评审机构审核认定后，颁发职称证书."""

    # -- 初级: the employer appoints (二(三), 津人社局发〔2018〕31号) -------------------------------------

    @transition(
        field=state,
        source=[State.DRAFT, State.RETURNED],
        target=State.APPOINTED,
        permission=is_recommender,
        conditions=[_junior_title],
    )
    def appoint(self):
        """The employer records its appointment to 技术员 or 助理工程师: no review."""


class Achievement(models.Model):
    """One achievement of 附件2 二(二)2 with its evidence (checked by content, stored under a random name)."""

    application = models.ForeignKey(
        TitleApplication, on_delete=models.CASCADE, related_name="achievements", verbose_name=_("职称申请")
    )
    kind = models.CharField(_("业绩类别"), max_length=30, choices=AchievementKind.choices)
    summary = models.CharField(_("业绩名称"), max_length=200)
    description = models.TextField(_("业绩说明"), blank=True)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    evidence = models.FileField(_("证明材料"), upload_to="talent/evidence/%Y/", max_length=200)

    class Meta:
        verbose_name = _("工作业绩")
        verbose_name_plural = _("工作业绩")
        ordering = ["kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.summary}"


class Appraisal(models.Model):
    """One year's annual appraisal (年度考核) on the current post (二(二)1)."""

    application = models.ForeignKey(
        TitleApplication, on_delete=models.CASCADE, related_name="appraisals", verbose_name=_("职称申请")
    )
    year = models.PositiveSmallIntegerField(_("考核年度"))
    result = models.CharField(_("考核结果"), max_length=20, choices=AppraisalResult.choices)

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="talent_one_appraisal_per_year")
        ]

    def __str__(self):
        return f"{self.year}：{self.get_result_display()}"


class Award(models.Model):
    """An award or honour (获奖情况); the honours of 二(二)3 open 破格."""

    application = models.ForeignKey(
        TitleApplication, on_delete=models.CASCADE, related_name="awards", verbose_name=_("职称申请")
    )
    name = models.CharField(_("奖项或称号"), max_length=100)
    awarded_by = models.CharField(_("授予单位"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("获得年份"), null=True, blank=True)

    class Meta:
        verbose_name = _("获奖情况")
        verbose_name_plural = _("获奖情况")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class CompetitionPlacing(models.Model):
    """A placing in a 职业技能竞赛."""

    application = models.ForeignKey(
        TitleApplication, on_delete=models.CASCADE, related_name="competitions", verbose_name=_("职称申请")
    )
    competition = models.CharField(_("竞赛名称"), max_length=200)
    klass = models.CharField(_("竞赛类别"), max_length=20, choices=CompetitionClass.choices)
    rank = models.PositiveSmallIntegerField(_("名次"))
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)

    class Meta:
        verbose_name = _("竞赛获奖")
        verbose_name_plural = _("竞赛获奖")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.competition}：{self.rank}"


# Part 2 (附件2 三, 四(二)): the professional's skill application, in its own module.
from .skill_models import SkillApplication, SkillCompetition, is_skill_body, is_skill_filer  # noqa: E402

__all__ = [
    "Achievement",
    "Appraisal",
    "Award",
    "CompetitionPlacing",
    "SkillApplication",
    "SkillCompetition",
    "TitleApplication",
    "is_filer",
    "is_recommender",
    "is_review_body",
    "is_reviewer",
    "is_skill_body",
    "is_skill_filer",
]
