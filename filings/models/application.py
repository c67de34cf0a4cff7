"""The filing application (评价机构备案申请) of one institution: its rows (occupations, people,
equipment), attachments, and the institution code and counters assigned when it is filed.

State changes go through :mod:`filings.workflow` and portal.transitions; the transition methods here
only change fields (django-fsm, protected state, optimistic locking on the state and a version)."""

from __future__ import annotations

from datetime import date

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, ConcurrentTransitionMixin, FSMField, transition

from portal import identifiers, roles
from portal.models import done_by

from ..constants import (
    Basis,
    InstitutionType,
    Kind,
    Ownership,
    PersonRole,
    Route,
    SiteUse,
    State,
)
from .common import WithLevels, optional_link

SYSTEM = roles.SYSTEM  # the actor of scheduled transitions (the Celery beat tasks)


# Who may fire each transition (checked by django-fsm's has_transition_perm in the workflow).
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


def system_only(filing, user) -> bool:
    """The scheduled tasks' own steps (roles.SYSTEM): no person fires them."""
    return _is_system(user)


class Filing(ConcurrentTransitionMixin, models.Model):
    institution = models.ForeignKey(
        "portal.Institution", on_delete=models.PROTECT, related_name="filings", verbose_name=_("申报单位")
    )
    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)

    # 一、基本信息 (seed 000 附件2/附件3, seed 003 附件2, seed 004 附件1): a snapshot as applied.
    route = models.CharField(_("申报类型"), max_length=1, choices=Route.choices, default=Route.EMPLOYER)
    kind = models.CharField(_("机构性质"), max_length=32, choices=Kind.choices, default=Kind.ENTERPRISE)
    # seed 000 附件3: 已向人力资源社会保障部备案的中央管理企业驻津分支机构和已向本地人社部门备案的外省市企业驻津
    # 分支机构，只须提交集团（总公司）所获备案回执和自主认定工作实施办法 (filings.constants.checklist).
    group_branch = models.BooleanField(
        _("集团（总公司）已备案的驻津分支机构"),
        default=False,
        help_text=_(
            "已向人力资源社会保障部备案的中央管理企业驻津分支机构，或已向本地人社部门备案的外省市企业驻津分支机构"
            "（用人单位自主评价）：只须上传集团（总公司）所获备案回执和自主认定工作实施办法。"
        ),
    )
    name = models.CharField(_("名称"), max_length=200)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    registration_authority = models.CharField(_("注册登记机构"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, validators=[identifiers.validate_institution_code]
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
    # 辽人社〔2020〕32号 附件1 三 (a 技工院校's application): 专业设置、课程内容、校企合作情况等.
    school_profile = models.TextField(
        _("专业设置、课程内容、校企合作情况"),
        blank=True,
        help_text=_("技工院校填写（技工院校职业技能等级认定申请表 三）"),
    )
    site_description = models.TextField(_("场地情况"), blank=True)
    it_description = models.TextField(_("计算机考务管理及视频监控设备配置情况"), blank=True)

    # 诚信承诺
    pledge_accepted = models.BooleanField(_("已确认诚信承诺"), default=False)
    pledge_signatory = models.CharField(_("承诺人（法定代表人）"), max_length=50, blank=True)

    # Workflow bookkeeping.
    created_by = done_by(_("创建人"), blank=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    assignee = done_by(_("经办人"), related_name="assigned_filings")
    overdue_flagged_on = models.DateField(_("超期提醒日期"), null=True, blank=True)

    # Evaluation and approval.
    batch = optional_link("EvaluationBatch", _("遴选批次"), related_name="filings")
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
    # seed 001 第十条(五): the notice follows the publication on the ministry's 评价机构公示查询系统.
    ministry_published_on = models.DateField(_("部公示查询系统公布日期"), null=True, blank=True)
    ministry_published_by = done_by(_("公布情况记录人"))
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
            # The dashboards' months (portal.dashboards.monthly): received and filed per month.
            models.Index(fields=["submitted_at"], name="filings_submitted_month"),
            models.Index(fields=["filed_on"], name="filings_filed_month"),
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

    @transition(field=state, source=State.AWAITING_RECORD, target=State.PUBLISHED, permission=staff_only)
    def publish(self):
        pass

    @transition(field=state, source=State.PUBLISHED, target=State.FILED, permission=staff_only)
    def record(self):
        self.filed_on = timezone.localdate()

    @transition(field=state, source=State.FILED, target=State.EXPIRED, permission=centre_or_system)
    def expire(self):
        pass

    @transition(field=state, source=State.FILED, target=State.CANCELLED, permission=staff_only)
    def cancel(self):
        pass

    @transition(field=state, source=State.FILED, target=State.CANCELLED, permission=system_only)
    def cancel_at_expiry(self):
        """注销 at expiry without renewal (seed 001 第十二条), by the daily task only."""

    @transition(field=state, source=State.FILED, target=State.REVOKED, permission=bureau)
    def revoke(self):
        pass

    def is_current_on(self, on: date) -> bool:
        return (
            self.state == State.FILED
            and self.valid_from is not None
            and self.valid_from <= on <= (self.valid_until or on)
        )


class FilingOccupation(WithLevels, models.Model):
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
    note = models.CharField(_("备注"), max_length=200, blank=True)  # 辽人社〔2020〕32号 附件1 二, 附件3

    class Meta:
        verbose_name = _("申报职业")
        verbose_name_plural = _("申报职业")
        ordering = ["id"]

    def __str__(self):
        return f"{self.occupation} {self.levels_display}"


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
    # 辽人社〔2020〕32号 附件1 五 注: 非本单位人员，请提供本人签署的提供评价服务承诺书或本人与评价单位签署的合作协议复印件
    # (the upload is the checklist item constants.EXTERNAL_PEOPLE_ITEM).
    external = models.BooleanField(_("非本单位人员"), default=False)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["role", "id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class SchoolWorkPlan(models.Model):
    """《技工院校职业技能等级认定工作方案》(辽人社〔2020〕32号 附件2): its seven parts, typed in the application
    and printed as a PDF (filings.documents.work_plan_pdf)."""

    filing = models.OneToOneField(Filing, on_delete=models.CASCADE, related_name="work_plan")
    basics = models.TextField(
        _("一、基本情况"),
        blank=True,
        help_text=_("包括学校简介、专业设置、培训工种（项目）、职业技能鉴定工作情况等"),
    )
    organisation = models.TextField(_("二、组织机构、职责"), blank=True)
    occupations = models.TextField(_("三、职业（工种）、等级、依据的标准、题库资源等"), blank=True)
    process = models.TextField(_("四、评价流程"), blank=True)
    content = models.TextField(_("五、评价内容及形式"), blank=True)
    quality = models.TextField(_("六、质量管控措施"), blank=True)
    other = models.TextField(_("七、其他"), blank=True, help_text=_("技工院校可根据自身情况增加内容"))

    # The parts 附件2 lists; 七 is what the school adds, so it may stay empty.
    REQUIRED_PARTS = ("basics", "organisation", "occupations", "process", "content", "quality")
    PARTS = (*REQUIRED_PARTS, "other")

    class Meta:
        verbose_name = _("技工院校工作方案")
        verbose_name_plural = _("技工院校工作方案")

    def __str__(self):
        return str(self.filing)

    def parts(self) -> list[tuple[str, str]]:
        """(heading, text) of the seven parts, in 附件2's order."""
        return [(str(self._meta.get_field(name).verbose_name), getattr(self, name)) for name in self.PARTS]

    def missing_parts(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.REQUIRED_PARTS
            if not getattr(self, name).strip()
        ]


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


class SiteFields(models.Model):
    """What an exam site is described by, on a filing (FilingSite) and in a site change (ChangeSite)."""

    name = models.CharField(_("场地名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    rooms = models.PositiveIntegerField(_("考场数"), default=1, validators=[MinValueValidator(1)])
    seats = models.PositiveIntegerField(_("考位（工位）数"), validators=[MinValueValidator(1)])
    use = models.CharField(_("用途"), max_length=10, choices=SiteUse.choices, default=SiteUse.BOTH)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return f"{self.name}（{self.address}）"


class FilingSite(SiteFields):
    """四(一)、场地情况 as a list: one exam site of the filing (its rooms and seats in total), the sites an
    exam session of certification is checked against; ``Filing.site_description`` keeps the notes."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="sites")

    class Meta(SiteFields.Meta):
        verbose_name = _("考试场地")
        verbose_name_plural = _("考试场地")


class Attachment(models.Model):
    """One uploaded file of the checklist, stored under a random name, served by a checked view."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="attachments")
    item = models.CharField(_("材料项"), max_length=20)
    file = models.FileField(_("文件"), max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_kind = models.CharField(_("文件类型"), max_length=10)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = done_by(None, blank=False)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["item", "uploaded_at"]

    def __str__(self):
        return f"{self.item} {self.original_name}"

    @property
    def item_label(self):
        from ..constants import ALL_ATTACHMENT_ITEMS

        return ALL_ATTACHMENT_ITEMS.get(self.item, self.item)


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
