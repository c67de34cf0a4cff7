"""The filing application (评价机构备案申请) of one institution, its rows, attachments, expert
evaluation, publicity objections and the institution code assigned when it is filed.

State changes go through :mod:`filings.workflow`; the transition methods here only change fields
(django-fsm, protected state, optimistic locking on the state)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, ConcurrentTransitionMixin, FSMField, transition

from portal import identifiers, roles

from .constants import (
    LEVEL_CHOICES,
    Basis,
    InstitutionType,
    Kind,
    Ownership,
    PersonRole,
    Route,
    State,
)

SYSTEM = roles.SYSTEM  # the actor of scheduled transitions (the Celery beat tasks)


# Who may fire each transition (checked by django-fsm's has_transition_perm in the workflow).
def level_set(levels: str) -> frozenset[int]:
    """Levels are kept as a string of digits ("345"); the set of those levels."""
    return frozenset(int(c) for c in levels if c.isdigit())


def _is_system(user) -> bool:
    return roles.is_system(user)


def applicant_of(filing, user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.institution_id == filing.institution_id
        and roles.has_role(user, roles.APPLICANT)
    )


def centre(filing, user) -> bool:
    return _is_system(user) or (
        getattr(user, "is_authenticated", False) and roles.has_role(user, roles.CENTRE)
    )


def bureau(filing, user) -> bool:
    return getattr(user, "is_authenticated", False) and roles.has_role(user, roles.BUREAU)


def reject_permission(filing, user) -> bool:
    # seed 001 第十条: the centre refuses at review and evaluation, the bureau at its approval.
    if filing.state == State.EVALUATED:
        return bureau(filing, user)
    return centre(filing, user) and not _is_system(user)


def centre_or_system(filing, user) -> bool:
    return centre(filing, user)


def staff_only(filing, user) -> bool:
    return centre(filing, user) and not _is_system(user)


class Filing(ConcurrentTransitionMixin, models.Model):
    institution = models.ForeignKey(
        "portal.Institution", on_delete=models.PROTECT, related_name="filings", verbose_name=_("申报单位")
    )
    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)

    # 一、基本信息 (seed 000 附件2/附件3, seed 003 附件2, seed 004 附件1): a snapshot as applied.
    route = models.CharField(_("申报类型"), max_length=1, choices=Route.choices, default=Route.EMPLOYER)
    kind = models.CharField(_("机构性质"), max_length=32, choices=Kind.choices, default=Kind.ENTERPRISE)
    name = models.CharField(_("名称"), max_length=200)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    registration_authority = models.CharField(_("注册登记机构"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, validators=[identifiers.validate_credit_code]
    )
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=50, blank=True)
    legal_representative_title = models.CharField(_("负责人职务"), max_length=50, blank=True)
    legal_representative_phone = models.CharField(_("负责人电话"), max_length=30, blank=True)
    registered_capital = models.CharField(_("注册资金"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_title = models.CharField(_("联系人职务"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)

    advantages = models.TextField(
        _("组织优势、专业优势"), blank=True, help_text=_("含参与国家职业技能标准、教学大纲、教材等编制情况")
    )
    site_description = models.TextField(_("场地情况"), blank=True)
    it_description = models.TextField(_("计算机考务管理及视频监控设备配置情况"), blank=True)

    # 诚信承诺
    pledge_accepted = models.BooleanField(_("已确认诚信承诺"), default=False)
    pledge_signatory = models.CharField(_("承诺人（法定代表人）"), max_length=50, blank=True)

    # Workflow bookkeeping.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_filings",
        verbose_name=_("经办人"),
    )
    overdue_flagged_on = models.DateField(_("超期提醒日期"), null=True, blank=True)

    # Evaluation and approval.
    batch = models.ForeignKey(
        "EvaluationBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="filings",
        verbose_name=_("遴选批次"),
    )
    evaluation_score = models.DecimalField(
        _("专家评估平均分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    recommendation = models.TextField(_("中心评估意见"), blank=True)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    publicity_start = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_end = models.DateField(_("公示截止日期"), null=True, blank=True)

    # Filed.
    filing_number = models.CharField(_("备案编号"), max_length=40, unique=True, null=True, blank=True)
    route_code = models.CharField(_("备案途径代码"), max_length=4, blank=True)
    province_code = models.CharField(_("省级代码"), max_length=2, blank=True)
    institution_sequence = models.CharField(_("机构序列码"), max_length=6, blank=True, db_index=True)
    ministry_report = models.CharField(_("向部鉴定中心报备情况"), max_length=300, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("备案申请")
        verbose_name_plural = _("备案申请")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "due_on"]),
            # The public directory: filed filings by name (filings.directory.search), a page at a time.
            models.Index(fields=["state", "name", "id"], name="filings_directory_order"),
        ]

    # How portal.transitions locks a filing and what it says when a step is refused.
    transition_lock = "version"
    state_refusal = _("申请当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该申请已被他人修改，请刷新后重试")

    # Optimistic locking on every save, not only on state changes: ConcurrentTransitionMixin already
    # adds "state = <state when loaded>" to the UPDATE; the version adds "version = <when loaded>", so
    # two staff editing the same filing in the same state cannot silently overwrite each other either.
    # A lost race raises django_fsm.ConcurrentTransition; filings.workflow turns it into StaleFiling.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded_version = self.version

    def __str__(self):
        return f"{self.name}（{self.get_state_display()}）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self.version = self._loaded_version + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        try:
            super().save(*args, **kwargs)
        except Exception:
            self.version = self._loaded_version
            raise
        self._loaded_version = self.version

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._loaded_version = self.version

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        updated = super()._do_update(
            base_qs.filter(version=self._loaded_version), using, pk_val, values, update_fields, forced_update
        )
        # The mixin only raises when the row exists under the filters it was given (ours included);
        # a row that exists with another version is a lost race too, never a reason to INSERT.
        if not updated and base_qs.filter(pk=pk_val).using(using).exists():
            raise ConcurrentTransition("the filing was changed since it was loaded")
        return updated

    @property
    def reference(self) -> str:
        return f"BA{self.created_at:%Y}{self.pk:06d}"

    @property
    def institution_code(self) -> str:
        """Route + province + sequence: the 12 digits after the kind letter in certificate numbers."""
        if not self.institution_sequence:
            return ""
        return f"{self.route_code}{self.province_code}{self.institution_sequence}"

    @property
    def is_editable(self) -> bool:
        return self.state in (State.DRAFT, State.RETURNED)

    # -- transitions (fields only; side effects are in filings.workflow) --

    @transition(
        field=state, source=[State.DRAFT, State.RETURNED], target=State.SUBMITTED, permission=applicant_of
    )
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED, permission=staff_only)
    def return_for_correction(self):
        self.due_on = None

    @transition(
        field=state,
        source=[State.SUBMITTED, State.UNDER_EVALUATION, State.EVALUATED],
        target=State.REJECTED,
        permission=reject_permission,
    )
    def reject(self):
        self.due_on = None

    @transition(field=state, source=State.SUBMITTED, target=State.UNDER_EVALUATION, permission=staff_only)
    def start_evaluation(self):
        self.due_on = None

    @transition(field=state, source=State.UNDER_EVALUATION, target=State.EVALUATED, permission=staff_only)
    def conclude_evaluation(self):
        pass

    @transition(field=state, source=State.EVALUATED, target=State.APPROVED, permission=bureau)
    def approve(self):
        self.approved_at = timezone.now()

    @transition(field=state, source=State.APPROVED, target=State.IN_PUBLICITY, permission=centre_or_system)
    def start_publicity(self):
        pass

    @transition(
        field=state, source=State.IN_PUBLICITY, target=State.AWAITING_RECORD, permission=centre_or_system
    )
    def close_publicity(self):
        self.due_on = None

    @transition(field=state, source=State.IN_PUBLICITY, target=State.REJECTED, permission=staff_only)
    def reject_after_objection(self):
        self.due_on = None

    @transition(field=state, source=State.AWAITING_RECORD, target=State.FILED, permission=staff_only)
    def record(self):
        self.filed_on = timezone.localdate()

    @transition(field=state, source=State.FILED, target=State.EXPIRED, permission=centre_or_system)
    def expire(self):
        pass

    @transition(field=state, source=State.FILED, target=State.CANCELLED, permission=staff_only)
    def cancel(self):
        pass

    @transition(field=state, source=State.FILED, target=State.REVOKED, permission=bureau)
    def revoke(self):
        pass

    def is_current_on(self, on: date) -> bool:
        return (
            self.state == State.FILED
            and self.valid_from is not None
            and self.valid_from <= on <= (self.valid_until or on)
        )


class FilingOccupation(models.Model):
    """二、申报职业（工种）."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="occupations")
    occupation = models.ForeignKey("portal.Occupation", on_delete=models.PROTECT, verbose_name=_("职业"))
    work_type = models.CharField(_("工种"), max_length=100, blank=True, help_text=_("没有工种的留空"))
    levels = models.CharField(_("申请级别"), max_length=9, help_text=_("例如 345 表示三、四、五级"))
    start_date = models.DateField(_("培训评价起始日期"), null=True, blank=True)
    person_times = models.PositiveIntegerField(_("已培训评价人数（人次）"), default=0)
    is_new_occupation = models.BooleanField(_("新职业"), default=False)
    basis = models.CharField(
        _("认定依据"), max_length=20, choices=Basis.choices, default=Basis.NATIONAL_STANDARD
    )

    class Meta:
        verbose_name = _("申报职业")
        verbose_name_plural = _("申报职业")
        ordering = ["id"]

    def __str__(self):
        return f"{self.occupation} {self.levels_display}"

    @property
    def level_set(self) -> frozenset[int]:
        return level_set(self.levels)

    @property
    def levels_display(self) -> str:
        labels = dict(LEVEL_CHOICES)
        return "、".join(str(labels[lv]) for lv in sorted(self.level_set))


class FilingPerson(models.Model):
    """五、人员情况: full-time staff, experts, assessors and quality supervisors."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(_("类别"), max_length=12, choices=PersonRole.choices)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18, validators=[identifiers.validate_id_number])
    employer = models.CharField(_("所在单位"), max_length=200, blank=True)
    title = models.CharField(_("职务/职称/技能等级"), max_length=100, blank=True)
    education = models.CharField(_("学历"), max_length=30, blank=True)
    field = models.CharField(_("专业方向/考评领域/主要职责"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["role", "id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class FilingEquipment(models.Model):
    """四(二)、设施设备情况."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("名称"), max_length=100)
    brand = models.CharField(_("品牌"), max_length=100, blank=True)
    model = models.CharField(_("规格/型号"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    ownership = models.CharField(
        _("所有权归属"), max_length=10, choices=Ownership.choices, default=Ownership.OWNED
    )

    class Meta:
        verbose_name = _("设施设备")
        verbose_name_plural = _("设施设备")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Attachment(models.Model):
    """One uploaded file of the checklist, stored under a random name, served by a checked view."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="attachments")
    item = models.CharField(_("材料项"), max_length=20)
    file = models.FileField(_("文件"), max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_kind = models.CharField(_("文件类型"), max_length=10)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["item", "uploaded_at"]

    def __str__(self):
        return f"{self.item} {self.original_name}"

    @property
    def item_label(self):
        from .constants import ALL_ATTACHMENT_ITEMS

        return ALL_ATTACHMENT_ITEMS.get(self.item, self.item)


class EvaluationBatch(models.Model):
    """A selection round of social training evaluation organisations, ranked together (seed 001
    第十条(三): 统筹择优原则集中开展遴选)."""

    name = models.CharField(_("批次名称"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("遴选批次")
        verbose_name_plural = _("遴选批次")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class ExpertDraw(models.Model):
    """The random draw of the evaluation panel: the pool, the seed and the result, so anyone can
    repeat it (random.Random(seed).sample(sorted pool, n))."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="draws")
    seed = models.CharField(_("随机种子"), max_length=64)
    pool = models.JSONField(_("候选专家（用户 ID）"))
    excluded = models.JSONField(_("回避专家（用户 ID）"), default=list)
    drawn = models.JSONField(_("抽取结果（用户 ID）"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField(_("抽取时间"), default=timezone.now)

    class Meta:
        verbose_name = _("专家抽取记录")
        verbose_name_plural = _("专家抽取记录")
        ordering = ["-drawn_at"]

    def __str__(self):
        return f"{self.filing_id} {self.seed}"


class ExpertReview(models.Model):
    """One panel member's scores and opinion."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="expert_reviews")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_reviews"
    )
    draw = models.ForeignKey(ExpertDraw, on_delete=models.CASCADE, related_name="reviews")
    material_score = models.PositiveSmallIntegerField(_("材料审核得分"), null=True, blank=True)
    onsite_score = models.PositiveSmallIntegerField(_("现场考察得分"), null=True, blank=True)
    qa_score = models.PositiveSmallIntegerField(_("质询答辩得分"), null=True, blank=True)
    opinion = models.TextField(_("专家意见"), blank=True)
    recommend = models.BooleanField(_("建议通过"), null=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评估")
        verbose_name_plural = _("专家评估")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["filing", "expert"], name="one_review_per_expert")]

    def __str__(self):
        return f"{self.filing_id} {self.expert}"

    @property
    def total(self):
        if self.submitted_at is None:
            return None
        return round((self.material_score + self.onsite_score + self.qa_score) / 3, 2)


class ObjectionState(models.TextChoices):
    OPEN = "open", _("待处理")
    DISMISSED = "dismissed", _("异议不成立")
    UPHELD = "upheld", _("异议成立")


class Objection(models.Model):
    """An objection (异议) raised by anyone during publicity; an open one holds the filing."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    attachment = models.FileField(_("附件"), max_length=200, blank=True)
    state = models.CharField(
        _("处理状态"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    ip_hash = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filing} {self.get_state_display()}"


class SequenceCounter(models.Model):
    """The last 3-digit order used under one city + institution type prefix (seed 004 附件5 四).
    Only ever increases, so a number is never reused."""

    prefix = models.CharField(max_length=3, unique=True)
    last = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("机构序列计数器")
        verbose_name_plural = _("机构序列计数器")

    def __str__(self):
        return f"{self.prefix}: {self.last:03d}"


class InstitutionCode(models.Model):
    """The institution code of one institution and kind letter, kept across its filings (renewals
    keep the number; a sequence is never given to another institution)."""

    institution = models.ForeignKey("portal.Institution", on_delete=models.PROTECT, related_name="codes")
    route = models.CharField(_("类别"), max_length=1, choices=Route.choices)
    route_code = models.CharField(_("备案途径代码"), max_length=4)
    province_code = models.CharField(_("省级代码"), max_length=2)
    sequence = models.CharField(_("机构序列码"), max_length=6)
    city_code = models.CharField(_("市/区代码"), max_length=2)
    institution_type = models.PositiveSmallIntegerField(_("机构类型"), choices=InstitutionType.choices)
    assigned_at = models.DateTimeField(_("赋码时间"), default=timezone.now)

    class Meta:
        verbose_name = _("机构代码")
        verbose_name_plural = _("机构代码")
        constraints = [
            models.UniqueConstraint(fields=["institution", "route"], name="one_code_per_institution_route"),
            models.UniqueConstraint(fields=["province_code", "sequence"], name="sequence_never_shared"),
        ]

    def __str__(self):
        return f"{self.route}{self.route_code}{self.province_code}{self.sequence}"


# ==================================================================================================
# Filings II (issue 5): life after filing — change requests, renewal, termination, sanctions,
# blacklist, complaints and supervision. Business rules in filings.lifecycle / complaints / supervision.
# ==================================================================================================

from .constants_after import (  # noqa: E402
    ChangeAction,
    ChangeKind,
    ChangeState,
    ComplaintOutcome,
    ComplaintState,
    InspectionKind,
    InspectionMethod,
    RenewalState,
    SanctionKind,
    TerminationState,
)


class ChangeRequest(models.Model):
    """One change of a filed institution's record (seed 001 第十一条): a person, the site, a piece of
    equipment, or an occupation/levels to add. Adding scope is evaluated again before it counts."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(_("变更类型"), max_length=12, choices=ChangeKind.choices)
    action = models.CharField(_("增减"), max_length=8, choices=ChangeAction.choices, default=ChangeAction.ADD)
    state = models.CharField(
        _("状态"), max_length=20, choices=ChangeState.choices, default=ChangeState.SUBMITTED, db_index=True
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
    removed_person = models.ForeignKey(
        FilingPerson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("减少的人员"),
    )
    # site
    site_description = models.TextField(_("变更后的场地情况"), blank=True)
    # equipment
    equipment_name = models.CharField(_("设备名称"), max_length=100, blank=True)
    equipment_brand = models.CharField(_("品牌"), max_length=100, blank=True)
    equipment_model = models.CharField(_("规格/型号"), max_length=100, blank=True)
    equipment_quantity = models.PositiveIntegerField(_("数量"), null=True, blank=True)
    equipment_ownership = models.CharField(
        _("所有权归属"), max_length=10, choices=Ownership.choices, blank=True
    )
    removed_equipment = models.ForeignKey(
        FilingEquipment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("减少的设备"),
    )
    # scope (occupation x levels)
    occupation = models.ForeignKey(
        "portal.Occupation", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("职业")
    )
    work_type = models.CharField(_("工种"), max_length=100, blank=True)
    levels = models.CharField(_("增加的级别"), max_length=9, blank=True)
    # the repeated evaluation of added scope (seed 001 第十一条: 按照备案程序重新进行评估)
    draw_seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    draw_pool = models.JSONField(_("候选专家（用户 ID）"), default=list, blank=True)
    drawn_experts = models.JSONField(_("抽取专家（用户 ID）"), default=list, blank=True)
    evaluation_score = models.DecimalField(
        _("专家评估得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    evaluation_opinion = models.TextField(_("评估意见"), blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("申请人"),
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("备案变更申请")
        verbose_name_plural = _("备案变更申请")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.filing.name} {self.get_kind_display()}（{self.get_state_display()}）"

    @property
    def level_set(self) -> frozenset[int]:
        return level_set(self.levels)

    @property
    def is_open(self) -> bool:
        return self.state in (
            ChangeState.SUBMITTED,
            ChangeState.UNDER_EVALUATION,
            ChangeState.EVALUATED,
            ChangeState.APPROVED,
        )


class Renewal(models.Model):
    """A renewal request (备案续期, seed 001 第十二条), filed in the 60 days before expiry and evaluated
    by the centre; approval moves valid_until 3 years on from the old expiry."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="renewals")
    state = models.CharField(
        _("状态"), max_length=12, choices=RenewalState.choices, default=RenewalState.SUBMITTED, db_index=True
    )
    summary = models.TextField(_("备案期内工作情况"))
    old_valid_until = models.DateField(_("原有效期至"))
    new_valid_until = models.DateField(_("续期后有效期至"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("申请人"),
    )
    requested_on = models.DateField(_("申请日期"))
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    evaluation_score = models.DecimalField(
        _("综合评估得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decision_comment = models.TextField(_("综合评估意见"), blank=True)

    class Meta:
        verbose_name = _("备案续期申请")
        verbose_name_plural = _("备案续期申请")
        ordering = ["-requested_at"]
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


class TerminationRequest(models.Model):
    """Voluntary termination (自愿终止, seed 001 第十三条): a written request; the centre cancels."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="terminations")
    state = models.CharField(
        _("状态"), max_length=12, choices=TerminationState.choices, default=TerminationState.SUBMITTED
    )
    reason = models.TextField(_("终止理由"))
    follow_up = models.TextField(
        _("后续工作安排"), blank=True, help_text=_("seed 001 第二十五条：妥善做好后续工作")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("申请人"),
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("自愿终止申请")
        verbose_name_plural = _("自愿终止申请")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.filing.name}（{self.get_state_display()}）"


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
    complaint = models.ForeignKey(
        "Complaint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sanctions",
        verbose_name=_("来源投诉"),
    )
    inspection = models.ForeignKey(
        "Inspection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sanctions",
        verbose_name=_("来源督导检查"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("经办人"),
    )
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


class BlacklistEntry(models.Model):
    """A revoked institution (黑名单, seed 002 第六条): its credit code may not register or apply again
    while the entry is in force (lifted_on empty)."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    name = models.CharField(_("机构名称"), max_length=200)
    institution = models.ForeignKey(
        "portal.Institution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filing = models.ForeignKey(Filing, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("列入理由"))
    listed_on = models.DateField(_("列入日期"))
    lifted_on = models.DateField(_("移出日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("黑名单")
        verbose_name_plural = _("黑名单")
        ordering = ["-listed_on"]

    def __str__(self):
        return f"{self.name} {self.credit_code}"


class Complaint(models.Model):
    """A complaint or report (投诉举报, seed 001 第二十三条) from anyone about a filed institution."""

    name = models.CharField(_("姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    institution_name = models.CharField(_("被投诉机构"), max_length=200)
    filing = models.ForeignKey(
        Filing,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
        verbose_name=_("对应备案"),
    )
    text = models.TextField(_("投诉举报内容"))
    attachment = models.FileField(_("附件"), max_length=200, blank=True)
    attachment_kind = models.CharField(max_length=10, blank=True)
    ip_hash = models.CharField(max_length=16, blank=True)
    state = models.CharField(
        _("处理状态"),
        max_length=16,
        choices=ComplaintState.choices,
        default=ComplaintState.OPEN,
        db_index=True,
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("经办人"),
    )
    outcome = models.CharField(_("处理结果"), max_length=16, choices=ComplaintOutcome.choices, blank=True)
    outcome_text = models.TextField(_("处理意见"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.institution_name}（{self.get_state_display()}）"

    @property
    def reference(self) -> str:
        return f"TS{self.created_at:%Y}{self.pk:06d}"


class InspectionDraw(models.Model):
    """A 双随机 draw (seed 001 第十九条): inspectors and institutions drawn at random for a period. The
    pools and the seed are kept, so random.Random(seed) over the sorted pools gives the same result."""

    period_start = models.DateField(_("检查期间起"))
    period_end = models.DateField(_("检查期间止"))
    seed = models.CharField(_("随机种子"), max_length=64)
    institution_pool = models.JSONField(_("候选备案（ID）"))
    inspector_pool = models.JSONField(_("候选检查人员（用户 ID）"))
    institutions = models.JSONField(_("抽中备案（ID）"))
    inspectors = models.JSONField(_("抽中检查人员（用户 ID）"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField(_("抽取时间"), default=timezone.now)

    class Meta:
        verbose_name = _("双随机抽查")
        verbose_name_plural = _("双随机抽查")
        ordering = ["-drawn_at"]

    def __str__(self):
        return f"{self.period_start}—{self.period_end} {self.seed}"


class Inspection(models.Model):
    """A supervision record (督导检查, seed 001 第十九至二十一条)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField(
        _("督导类型"), max_length=10, choices=InspectionKind.choices, default=InspectionKind.DAILY
    )
    method = models.CharField(_("检查方式"), max_length=10, choices=InspectionMethod.choices)
    inspected_on = models.DateField(_("检查日期"))
    inspectors = models.CharField(_("检查人员"), max_length=200)
    findings = models.TextField(_("检查发现"))
    draw = models.ForeignKey(
        InspectionDraw,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
        verbose_name=_("双随机抽查"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督导检查记录")
        verbose_name_plural = _("督导检查记录")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self):
        return f"{self.filing.name} {self.inspected_on} {self.get_method_display()}"


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


class ChangeReview(models.Model):
    """One drawn expert's scores on an added-scope change request (the evaluation repeated, seed 001
    第十一条), like ExpertReview for the initial filing."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="reviews")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="change_reviews"
    )
    material_score = models.PositiveSmallIntegerField(_("材料审核得分"), null=True, blank=True)
    onsite_score = models.PositiveSmallIntegerField(_("现场考察得分"), null=True, blank=True)
    qa_score = models.PositiveSmallIntegerField(_("质询答辩得分"), null=True, blank=True)
    opinion = models.TextField(_("专家意见"), blank=True)
    recommend = models.BooleanField(_("建议通过"), null=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("变更评估专家意见")
        verbose_name_plural = _("变更评估专家意见")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["change", "expert"], name="one_change_review_per_expert")
        ]

    def __str__(self):
        return f"{self.change_id} {self.expert}"

    @property
    def total(self):
        if self.submitted_at is None:
            return None
        return round((self.material_score + self.onsite_score + self.qa_score) / 3, 2)
