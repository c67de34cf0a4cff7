"""The 专业技术人才参加职业技能评价申请 (seed 002 附件2 三, 四(二)): a professional holding an engineering title
applies for a skill level, by 职业技能鉴定 at the 市鉴定中心 (三(四)1) or by 职业技能等级认定 at a filed 评价机构
(三(四)2), with the copy of the 专业技术职务任职资格证 (四(二)3).

The state is a protected django-fsm field: it changes only in the transitions below, fired through
portal.transitions by talent.skills (row lock, role check, audit event, notices)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from portal import identifiers
from portal import roles as portal_roles
from portal.models import done_by

from .constants import CompetitionClass, HeldTitle, SkillLevel, SkillRoute, SkillState


def is_skill_filer(app, user) -> bool:
    """The person who filed it."""
    return getattr(user, "pk", None) is not None and user.pk == app.filed_by_id


def is_skill_body(app, user) -> bool:
    """The body it was filed with: the 市鉴定中心's staff (三(四)1), or the applicant users of the chosen
    评价机构 (三(四)2). Never the person who filed it: nobody accepts their own application."""
    if is_skill_filer(app, user):
        return False
    if app.route == SkillRoute.APPRAISAL:
        return portal_roles.has_role(user, portal_roles.CENTRE)
    return (
        app.institution_id is not None
        and getattr(user, "institution_id", None) == app.institution_id
        and portal_roles.has_role(user, portal_roles.APPLICANT)
    )


class SkillApplication(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """专业技术人才参加职业技能评价申请表 (seed 002 附件2 四(二)1)."""

    transition_lock = "row"
    state_refusal = _("职业技能评价申请当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该职业技能评价申请已被他人修改，请刷新后重试。")

    state = FSMField(
        _("状态"), default=SkillState.DRAFT, choices=SkillState.choices, protected=True, db_index=True
    )
    filed_by = done_by(_("填报人"), blank=False, related_name="skill_applications")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    # The person
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18, validators=[identifiers.validate_id_number])
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    employer_name = models.CharField(_("工作单位"), max_length=200)
    post = models.CharField(_("现工作岗位"), max_length=100)
    # 三(一) 申报范围 and 三(二)1 在技能岗位工作
    engineering_field = models.BooleanField(_("在工程技术领域工作"), null=True, blank=True)
    skill_post = models.BooleanField(_("在技能岗位工作"), null=True, blank=True)
    # The title held (三(二)1) and its certificate (四(二)3)
    title = models.CharField(_("现有职称"), max_length=20, choices=HeldTitle.choices)
    title_certificate_number = models.CharField(_("职称证书编号"), max_length=50)
    title_obtained_on = models.DateField(_("取得职称日期"))
    title_certificate_copy = models.FileField(
        _("专业技术职务任职资格证复印件"), upload_to="talent/titles/%Y/", max_length=200, blank=True
    )
    # A level already held (三(二)2 晋级)
    held_level = models.PositiveSmallIntegerField(
        _("现有职业技能等级"), choices=SkillLevel.choices, null=True, blank=True
    )
    held_level_certificate_number = models.CharField(_("职业技能等级证书编号"), max_length=40, blank=True)
    held_level_obtained_on = models.DateField(_("取得职业技能等级日期"), null=True, blank=True)
    # What is asked for
    occupation = models.ForeignKey(
        "portal.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name=_("申报职业（工种）")
    )
    work_type = models.CharField(_("工种"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(_("申报等级"), choices=SkillLevel.choices)
    route = models.CharField(_("评价方式"), max_length=20, choices=SkillRoute.choices)
    institution = models.ForeignKey(
        "portal.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="skill_applications",
        verbose_name=_("评价机构"),
    )

    # The rules' decision (eligibility.titles.assess, title_to_skill), stored on submission
    assessed_on = models.DateField(_("条件判断日期"), null=True, blank=True)
    decision = models.JSONField(_("申报条件判断"), default=list, blank=True)
    clause = models.CharField(_("符合条款"), max_length=20, blank=True)
    theory_waived = models.BooleanField(_("免于理论知识考核"), default=False)

    # The procedure
    submitted_at = models.DateTimeField(_("申报时间"), null=True, blank=True)
    decided_by = done_by(_("受理人"))
    decided_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    reject_reason = models.TextField(_("不予受理理由"), blank=True)
    candidate = models.ForeignKey(
        "certification.Candidate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="skill_applications",
        verbose_name=_("认定方案考生"),
    )

    class Meta:
        verbose_name = _("专业技术人才参加职业技能评价申请")
        verbose_name_plural = _("专业技术人才参加职业技能评价申请")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} · {self.get_level_display()}"

    @property
    def reference(self) -> str:
        return f"JN-{self.created_at:%Y}-{self.pk:06d}"

    @property
    def masked_id_number(self) -> str:
        return identifiers.mask_id_number(self.id_number)

    # 申报 (附件2 三(四)1, 2)
    @transition(
        field=state,
        source=[SkillState.DRAFT, SkillState.RETURNED],
        target=SkillState.SUBMITTED,
        permission=is_skill_filer,
    )
    def submit(self):
        """Filed with the 市鉴定中心 or the chosen 评价机构."""

    @transition(
        field=state, source=SkillState.SUBMITTED, target=SkillState.ACCEPTED, permission=is_skill_body
    )
    def accept(self):
        """受理: 考务安排 (市鉴定中心) or 认定安排 onto one of the institution's plans (评价机构)."""

    @transition(
        field=state, source=SkillState.SUBMITTED, target=SkillState.RETURNED, permission=is_skill_body
    )
    def return_for_correction(self):
        """退回补正: what was typed stays."""

    @transition(
        field=state, source=SkillState.SUBMITTED, target=SkillState.REJECTED, permission=is_skill_body
    )
    def reject(self):
        """不予受理, with a reason."""


class SkillCompetition(models.Model):
    """A placing in a 职业技能竞赛 (三(二)3 破格)."""

    application = models.ForeignKey(
        SkillApplication,
        on_delete=models.CASCADE,
        related_name="competitions",
        verbose_name=_("职业技能评价申请"),
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
