"""Life after filing (seed 001 第十一至十三条, 第二十四条; seed 002 第五、六条): change requests and
their expert reviews, renewal and its reminders, voluntary termination, sanctions and the blacklist.
Business rules in filings.after_filing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from portal import roles
from portal.models import done_by
from portal.notices import cite

from ..constants import (
    Ownership,
    PersonRole,
    State,
)
from ..constants_after import (
    CHANGE_OPEN_STATES,
    BlacklistState,
    ChangeAction,
    ChangeKind,
    ChangeState,
    RenewalState,
    SanctionKind,
    TerminationState,
)
from .application import Filing, FilingEquipment, FilingPerson, FilingSite, SiteFields
from .common import AfterFilingRequest, ScoreSheet, WithLevels, optional_link


def _centre(obj, user) -> bool:
    return roles.has_role(user, roles.CENTRE)


def _bureau(obj, user) -> bool:
    return roles.has_role(user, roles.BUREAU)


def _closer(obj, user) -> bool:
    """Whoever ends the filing (the centre cancelling, the bureau revoking, the daily task at expiry)
    ends its open requests with it."""
    return roles.is_system(user) or roles.has_role(user, roles.CENTRE, roles.BUREAU)


def _filing_ended(obj) -> bool:
    """A request lapses only once its filing has left the filed state."""
    return obj.filing.state != State.FILED


def _refuser(change, user) -> bool:
    """An evaluated scope change waits for the bureau, so the bureau refuses it; before, the centre."""
    if change.state == ChangeState.EVALUATED:
        return _bureau(change, user)
    return _centre(change, user)


class ChangeRequest(WithLevels, AfterFilingRequest):
    """One change of a filed institution's record (seed 001 第十一条): a person, the site, a piece of
    equipment, or an occupation/levels to add or remove. Adding scope is evaluated again before it counts;
    removing scope needs no evaluation and takes effect when the centre confirms it."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(_("变更类型"), max_length=12, choices=ChangeKind.choices)
    action = models.CharField(_("增减"), max_length=8, choices=ChangeAction.choices, default=ChangeAction.ADD)
    state = FSMField(
        _("状态"),
        max_length=20,
        choices=ChangeState.choices,
        default=ChangeState.SUBMITTED,
        db_index=True,
        protected=True,
    )
    reason = models.TextField(_("变更理由"))
    # personnel
    person_role = models.CharField(_("人员类别"), max_length=12, choices=PersonRole.choices, blank=True)
    person_name = models.CharField(_("姓名"), max_length=50, blank=True)
    person_id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    person_employer = models.CharField(_("所在单位"), max_length=200, blank=True)
    person_title = models.CharField(_("职务/职称/技能等级"), max_length=100, blank=True)
    person_education = models.CharField(_("学历"), max_length=30, blank=True)
    person_field = models.CharField(_("专业方向/考评领域/主要职责"), max_length=200, blank=True)
    removed_person = optional_link(FilingPerson, _("减少的人员"))
    # site (issue 44): the sites added are ChangeSite rows, the filed ones removed are picked here;
    # site_description is an optional note that replaces the filing's 场地情况 when given
    site_description = models.TextField(_("变更后的场地情况"), blank=True)
    removed_sites = models.ManyToManyField(
        FilingSite, blank=True, related_name="+", verbose_name=_("减少的考试场地")
    )
    # What a removal takes away, named when it is asked for: the person, equipment or sites removed are
    # deleted from the filed record once the change is approved (their links then empty), and the
    # change's summary still says what went.
    removed_names = models.CharField(_("减少的内容"), max_length=500, blank=True)
    # equipment
    equipment_name = models.CharField(_("设备名称"), max_length=100, blank=True)
    equipment_brand = models.CharField(_("品牌"), max_length=100, blank=True)
    equipment_model = models.CharField(_("规格/型号"), max_length=100, blank=True)
    equipment_quantity = models.PositiveIntegerField(_("数量"), null=True, blank=True)
    equipment_ownership = models.CharField(
        _("所有权归属"), max_length=10, choices=Ownership.choices, blank=True
    )
    removed_equipment = optional_link(FilingEquipment, _("减少的设备"))
    # scope (occupation x levels)
    occupation = models.ForeignKey(
        "portal.Occupation", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("职业")
    )
    work_type = models.CharField(_("工种"), max_length=100, blank=True)
    levels = models.CharField(_("增加或减少的级别"), max_length=9, blank=True)
    # the repeated evaluation of added scope (seed 001 第十一条: 按照备案程序重新进行评估)
    draw_seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    draw_pool = models.JSONField(_("候选专家（用户 ID）"), default=list, blank=True)
    drawn_experts = models.JSONField(_("抽取专家（用户 ID）"), default=list, blank=True)
    evaluation_score = models.DecimalField(
        _("专家评估得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    evaluation_opinion = models.TextField(_("评估意见"), blank=True)
    decision_comment = models.TextField(_("审核意见"), blank=True)

    class Meta(AfterFilingRequest.Meta):
        verbose_name = _("备案变更申请")
        verbose_name_plural = _("备案变更申请")

    def __str__(self):
        return f"{self.filing.name} {self.get_kind_display()}（{self.get_state_display()}）"

    @property
    def is_open(self) -> bool:
        return self.state in CHANGE_OPEN_STATES

    @property
    def needs_evaluation(self) -> bool:
        """seed 001 第十一条: only added occupations or levels are evaluated again; a removal is not."""
        return self.kind == ChangeKind.SCOPE and self.action == ChangeAction.ADD

    # -- the machine (portal.transitions fires these; filings.after_filing sets the fields) --
    state_refusal = _("变更申请当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该变更申请已被他人处理，请刷新后重试")

    @transition(field=state, source=ChangeState.SUBMITTED, target=ChangeState.APPLIED, permission=_centre)
    def confirm(self):
        """A personnel, site or equipment change confirmed by the centre applies at once."""

    @transition(
        field=state, source=ChangeState.SUBMITTED, target=ChangeState.UNDER_EVALUATION, permission=_centre
    )
    def start_evaluation(self):
        pass

    @transition(
        field=state, source=ChangeState.UNDER_EVALUATION, target=ChangeState.EVALUATED, permission=_centre
    )
    def conclude(self):
        pass

    @transition(field=state, source=ChangeState.EVALUATED, target=ChangeState.APPROVED, permission=_bureau)
    def approve(self):
        pass

    @transition(field=state, source=ChangeState.APPROVED, target=ChangeState.APPLIED, permission=_centre)
    def record(self):
        """The centre files an approved scope change."""

    @transition(
        field=state,
        source=[ChangeState.SUBMITTED, ChangeState.UNDER_EVALUATION, ChangeState.EVALUATED],
        target=ChangeState.REJECTED,
        permission=_refuser,
    )
    def reject(self):
        pass

    @transition(
        field=state,
        source=list(CHANGE_OPEN_STATES),
        target=ChangeState.REJECTED,
        permission=_closer,
        conditions=[_filing_ended],
    )
    def lapse(self):
        """An open change ends with its filing (cancelled or revoked)."""


class ChangePerson(models.Model):
    """A further person added by the same personnel change (issue 29 item 2): the first person is on
    the request itself (person_*), every further one is a row here; approval adds them all."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="more_people")
    role = models.CharField(_("人员类别"), max_length=12, choices=PersonRole.choices)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18)
    employer = models.CharField(_("所在单位"), max_length=200, blank=True)
    title = models.CharField(_("职务/职称/技能等级"), max_length=100, blank=True)
    education = models.CharField(_("学历"), max_length=30, blank=True)
    field = models.CharField(_("专业方向/考评领域/主要职责"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("变更增加的人员")
        verbose_name_plural = _("变更增加的人员")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class ChangeSite(SiteFields):
    """An exam site added by a site change (issue 44, the fields of filings.FilingSite); approval files
    it as a FilingSite of the filing."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="added_sites")

    class Meta(SiteFields.Meta):
        verbose_name = _("变更增加的考试场地")
        verbose_name_plural = _("变更增加的考试场地")


class Renewal(AfterFilingRequest):
    """A renewal request (备案续期, seed 001 第十二条), filed in the 60 days before expiry and evaluated
    by the centre; approval moves valid_until 3 years on from the old expiry."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="renewals")
    state = FSMField(
        _("状态"),
        max_length=12,
        choices=RenewalState.choices,
        default=RenewalState.SUBMITTED,
        db_index=True,
        protected=True,
    )
    summary = models.TextField(_("备案期内工作情况"))
    old_valid_until = models.DateField(_("原有效期至"))
    new_valid_until = models.DateField(_("续期后有效期至"), null=True, blank=True)
    requested_on = models.DateField(_("申请日期"))
    evaluation_score = models.DecimalField(
        _("综合评估得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    decision_comment = models.TextField(_("综合评估意见"), blank=True)

    class Meta(AfterFilingRequest.Meta):
        verbose_name = _("备案续期申请")
        verbose_name_plural = _("备案续期申请")
        constraints = [
            # one renewal per validity period that is not refused (pending or approved)
            models.UniqueConstraint(
                fields=["filing", "old_valid_until"],
                condition=models.Q(state__in=["submitted", "approved"]),
                name="one_live_renewal_per_period",
            )
        ]

    def __str__(self):
        return f"{self.filing.name} {self.old_valid_until}（{self.get_state_display()}）"

    # -- the machine (portal.transitions fires these; filings.after_filing sets the fields) --
    state_refusal = _("续期申请当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该续期申请已被他人处理，请刷新后重试")

    @transition(field=state, source=RenewalState.SUBMITTED, target=RenewalState.APPROVED, permission=_centre)
    def approve(self):
        pass

    @transition(field=state, source=RenewalState.SUBMITTED, target=RenewalState.REFUSED, permission=_centre)
    def refuse(self):
        pass

    @transition(
        field=state,
        source=RenewalState.SUBMITTED,
        target=RenewalState.LAPSED,
        permission=_closer,
        conditions=[_filing_ended],
    )
    def lapse(self):
        """A pending renewal lapses with its filing (cancelled or revoked)."""


class TerminationRequest(AfterFilingRequest):
    """Voluntary termination (自愿终止, seed 001 第十三条): a written request; the centre cancels."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="terminations")
    state = FSMField(
        _("状态"),
        max_length=12,
        choices=TerminationState.choices,
        default=TerminationState.SUBMITTED,
        protected=True,
    )
    reason = models.TextField(_("终止理由"))
    follow_up = models.TextField(
        _("后续工作安排"),
        blank=True,
        help_text=format_lazy(_("{ref}：妥善做好后续工作"), ref=cite("seed 001 第二十五条")),
    )

    class Meta(AfterFilingRequest.Meta):
        verbose_name = _("自愿终止申请")
        verbose_name_plural = _("自愿终止申请")

    def __str__(self):
        return f"{self.filing.name}（{self.get_state_display()}）"

    # -- the machine (portal.transitions fires it; filings.after_filing cancels the filing with it) --
    state_refusal = _("自愿终止申请当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该申请已被他人处理，请刷新后重试")

    @transition(
        field=state, source=TerminationState.SUBMITTED, target=TerminationState.DONE, permission=_centre
    )
    def confirm(self):
        pass


class Sanction(models.Model):
    """A measure against a filed institution (seed 001 第二十四条, seed 002 第六条)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(_("处理方式"), max_length=16, choices=SanctionKind.choices)
    reason = models.TextField(_("事实与理由"))
    decided_on = models.DateField(_("决定日期"))
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    is_public = models.BooleanField(_("向社会公开"), default=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    rectification_report = models.TextField(_("整改情况"), blank=True)
    complaint = optional_link("Complaint", _("来源投诉"), related_name="sanctions")
    inspection = optional_link("Inspection", _("来源督导检查"), related_name="sanctions")
    created_by = done_by(_("经办人"), blank=False)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("处理措施")
        verbose_name_plural = _("处理措施")
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"{self.filing.name} {self.get_kind_display()} {self.decided_on}"

    @property
    def rectification_open(self) -> bool:
        return self.kind == SanctionKind.RECTIFICATION and self.rectified_on is None


class BlacklistEntry(FSMModelMixin, models.Model):
    """A revoked institution (黑名单, seed 002 第六条): its credit code may not register or apply again
    while the entry is in force (state listed). Only the bureau lifts it (filings.after_filing
    .lift_blacklist, fired through portal.transitions), with its reason; who, when and why are kept."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    name = models.CharField(_("机构名称"), max_length=200)
    institution = models.ForeignKey(
        "portal.Institution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filing = models.ForeignKey(Filing, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("列入理由"))
    listed_on = models.DateField(_("列入日期"))
    lifted_on = models.DateField(_("移出日期"), null=True, blank=True)
    created_by = done_by(None, blank=False)
    state = FSMField(
        _("状态"),
        max_length=10,
        choices=BlacklistState.choices,
        default=BlacklistState.LISTED,
        db_index=True,
        protected=True,
    )
    lifted_by = done_by(_("移出决定人"))
    lifted_at = models.DateTimeField(_("移出决定时间"), null=True, blank=True)
    lift_reason = models.TextField(_("移出理由"), blank=True)

    class Meta:
        verbose_name = _("黑名单")
        verbose_name_plural = _("黑名单")
        ordering = ["-listed_on"]

    def __str__(self):
        return f"{self.name} {self.credit_code}"

    @property
    def in_force(self) -> bool:
        return self.state == BlacklistState.LISTED

    # -- the machine (portal.transitions fires it; filings.after_filing.lift_blacklist sets the fields) --
    transition_lock = "row"
    state_refusal = _("该黑名单条目当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该黑名单条目已被他人处理，请刷新后重试")

    @transition(field=state, source=BlacklistState.LISTED, target=BlacklistState.LIFTED, permission=_bureau)
    def lift(self):
        """The bureau lifts the entry: the credit code may register and apply again."""


class RenewalReminder(models.Model):
    """One renewal reminder sent (60/30/7 days before expiry); unique so the daily task is idempotent."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="renewal_reminders")
    valid_until = models.DateField(_("有效期至"))
    days_before = models.PositiveSmallIntegerField(_("提前天数"))
    sent_on = models.DateField(_("提醒日期"))

    class Meta:
        verbose_name = _("续期提醒")
        verbose_name_plural = _("续期提醒")
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "valid_until", "days_before"], name="one_reminder_per_step"
            )
        ]

    def __str__(self):
        return f"{self.filing.name} -{self.days_before}"


class ChangeReview(ScoreSheet):
    """One drawn expert's scores on an added-scope change request (the evaluation repeated, seed 001
    第十一条), like ExpertReview for the initial filing."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="reviews")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="change_reviews"
    )

    class Meta(ScoreSheet.Meta):
        verbose_name = _("变更评估专家意见")
        verbose_name_plural = _("变更评估专家意见")
        constraints = [
            models.UniqueConstraint(fields=["change", "expert"], name="one_change_review_per_expert")
        ]

    def __str__(self):
        return f"{self.change_id} {self.expert}"
