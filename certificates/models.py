"""Certificates, the serial counters behind their codes, and issuance batches.

A certificate keeps everything it prints as it was printed (names and codes are copied, not looked
up), so a later rename of an occupation or institution never changes an issued certificate."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from portal import identifiers, roles
from portal.models import done_by

from . import constants, signing


class InstitutionCode(models.Model):
    """The filed institution's part of a certificate code (seed 004 附件5): its kind, route, province and
    sequence."""

    kind = models.CharField(_("机构类别代码"), max_length=1)
    route = models.CharField(_("备案途径代码"), max_length=4)
    province = models.CharField(_("省级代码"), max_length=2)
    institution_seq = models.CharField(_("机构序列码"), max_length=6)

    class Meta:
        abstract = True

    @property
    def prefix(self) -> tuple[str, str, str, str]:
        return (self.kind, self.route, self.province, self.institution_seq)


def _filed_institution(related_name):
    """The institution a certificate or batch was issued by (kept: its certificates stay)."""
    return models.ForeignKey(
        "portal.Institution", verbose_name=_("评价机构"), on_delete=models.PROTECT, related_name=related_name
    )


class CertificateSerialCounter(InstitutionCode):
    """The last serial used per institution, per year, per level (seed 004 附件5 七). A row is locked
    with select_for_update while a serial is taken (see allocation.py)."""

    year = models.PositiveSmallIntegerField(_("核发年份"))
    level = models.PositiveSmallIntegerField(_("等级"))
    last_serial = models.PositiveIntegerField(_("已用最大序列码"), default=0)

    class Meta:
        verbose_name = _("证书序列码计数器")
        verbose_name_plural = _("证书序列码计数器")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "route", "province", "institution_seq", "year", "level"],
                name="certificates_counter_unique_scope",
            )
        ]

    def __str__(self):
        return f"{self.kind}{self.route}{self.province}{self.institution_seq} {self.year} L{self.level}: {self.last_serial:06d}"


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


def document_kind_field():
    """The holder's document type (portal.identifiers.DocumentKind), 居民身份证 unless said otherwise."""
    return models.CharField(
        _("证件类型"),
        max_length=20,
        choices=identifiers.DocumentKind.choices,
        default=identifiers.DocumentKind.RESIDENT_ID,
    )


def centre_only(instance, user) -> bool:
    """Revocation is the centre's decision (certificates/README.md)."""
    return roles.has_role(user, roles.CENTRE)


class Certificate(identifiers.DocumentHolder, FSMModelMixin, models.Model):
    """An issued certificate. Its status is a machine fired through portal.transitions (issue 31):
    valid -> revoked, by centre staff (certificates.revocation.revoke checks the reason and dates)."""

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        REVOKED = "revoked", _("已撤销")

    class Kind(models.TextChoices):
        GRADE = constants.CERTIFICATE_KIND_GRADE, _("职业技能等级证书")
        QUALIFICATION = constants.CERTIFICATE_KIND_QUALIFICATION, _("职业资格证书")

    kind = models.CharField(_("证书类型"), max_length=20, choices=Kind.choices, default=Kind.GRADE)
    code = models.CharField(_("证书编号"), max_length=22, unique=True)
    serial = models.PositiveIntegerField(_("序列码"))
    year = models.PositiveSmallIntegerField(_("核发年份"))
    level = models.PositiveSmallIntegerField(_("技能等级"), choices=sorted(constants.LEVEL_NAMES.items()))
    holder_name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    # Issue 43: the holder's document; certificates issued before the field read as 居民身份证 (the default).
    document_kind = document_kind_field()
    id_number = models.CharField(_("证件号码"), max_length=constants.DOCUMENT_NUMBER_LENGTH, db_index=True)
    occupation = models.ForeignKey(
        "portal.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="certificates"
    )
    occupation_name = models.CharField(_("职业名称（证书所印）"), max_length=100)
    occupation_code = models.CharField(_("职业编码（证书所印）"), max_length=10)
    work_type = models.CharField(_("工种"), max_length=100, default=constants.NO_WORK_TYPE)
    # A 等级证书's filed institution; none for a 职业资格证书, which the 市人社局 issues
    # (seed 002 附件1 四(六)): its institution_name is then constants.QUALIFICATION_ISSUER_NAME.
    institution = models.ForeignKey(
        "portal.Institution",
        verbose_name=_("评价机构"),
        on_delete=models.PROTECT,
        related_name="certificates",
        null=True,
        blank=True,
    )
    institution_name = models.CharField(_("评价机构名称（与备案一致）"), max_length=200)
    # seed 002 附件1 四(六): the 鉴定 candidate a 职业资格证书 was issued for; one certificate per candidate.
    appraisal_candidate = models.OneToOneField(
        "appraisals.AppraisalCandidate",
        verbose_name=_("职业技能鉴定考生"),
        on_delete=models.PROTECT,
        related_name="certificate",
        null=True,
        blank=True,
    )
    issue_date = models.DateField(_("发证日期"))
    photo = models.FileField(_("照片"), upload_to="certificates/photos/", max_length=200)
    seal = models.FileField(_("机构印章图片"), upload_to="certificates/seals/", max_length=200, blank=True)
    status = FSMField(_("状态"), max_length=10, choices=Status.choices, default=Status.VALID, protected=True)
    revoked_reason = models.TextField(_("撤销原因"), blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    source_key = models.CharField(
        _("来源标识"),
        max_length=100,
        unique=True,
        help_text=_("签发方的考生标识，例如 certification.candidate:123；同一考生只发一本证书。"),
    )
    batch = models.ForeignKey(
        "IssuanceBatch",
        verbose_name=_("签发批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    # Issue 42 item 1: signing.seal of the printed fields, written by save(); the verification page
    # checks a QR code's signature against it before re-signing. A record older than the column or
    # changed by a queryset update has none or a stale one and is re-signed instead: the same answer.
    signature_seal = models.BinaryField(
        _("签名封记"), max_length=signing.SEAL_BYTES, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("职业技能等级证书")
        verbose_name_plural = _("职业技能等级证书")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["holder_name", "id_number"]),
            # The dashboards' certificates per month and level (portal.dashboards.monthly): index-only.
            models.Index(fields=["issue_date", "level"], name="certificates_issued_month"),
        ]

    def __str__(self):
        return f"{self.code} {self.holder_name}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or signing.CANONICAL_FIELDS.intersection(update_fields):
            self.signature_seal = signing.seal(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "signature_seal"}
        super().save(*args, **kwargs)

    @property
    def level_name(self):
        return constants.LEVEL_NAMES.get(self.level, "")

    @property
    def is_valid(self):
        return self.status == self.Status.VALID

    @property
    def is_qualification(self) -> bool:
        return self.kind == self.Kind.QUALIFICATION

    @property
    def issuer_label(self):
        """What the issuer is called: 发证机关 (the bureau) on a 职业资格证书, 评价机构 on a 等级证书."""
        return _("发证机关") if self.is_qualification else _("评价机构")

    # -- the machine (portal.transitions fires it; certificates.revocation sets the fields) --
    transition_field = "status"
    transition_lock = "row"
    state_refusal = _("证书当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该证书已被他人处理，请刷新后重试。")

    @transition(field=status, source=Status.VALID, target=Status.REVOKED, permission=centre_only)
    def revoke(self):
        """Revoked: lookups and verification still find it and say so with the date."""


class IssuanceBatch(InstitutionCode):
    """One issuance run for an institution: a list of candidates (IssuanceItem) issued by a Celery
    task, with counters the batch page polls. Its ``status`` is the task's progress (pending, running,
    printing, finished, failed), written by the runner only, which nobody decides: a plain field, not a
    procedure's machine (issue 31)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("等待签发")
        RUNNING = "running", _("正在签发")
        PRINTING = "printing", _("正在生成 PDF")
        FINISHED = "finished", _("已完成")
        FAILED = "failed", _("出错")

    institution = _filed_institution("issuance_batches")
    institution_name = models.CharField(_("评价机构名称（与备案一致）"), max_length=200)
    title = models.CharField(_("批次说明"), max_length=200, blank=True)
    issue_date = models.DateField(_("发证日期"))
    seal = models.FileField(_("机构印章图片"), upload_to="certificates/seals/", max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("考生人数"), default=0)
    issued_count = models.PositiveIntegerField(_("已签发"), default=0)
    existing_count = models.PositiveIntegerField(_("此前已发证"), default=0)
    refused_count = models.PositiveIntegerField(_("不予签发"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    pdf = models.FileField(_("批次 PDF"), upload_to="certificates/batches/", max_length=200, blank=True)
    created_by = done_by(_("创建人"), related_name=None)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    progress_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证书签发批次")
        verbose_name_plural = _("证书签发批次")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"#{self.pk} {self.institution_name} {self.title}".strip()

    @property
    def done_count(self) -> int:
        return self.issued_count + self.existing_count + self.refused_count

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done_count / self.total)

    @property
    def is_over(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED)


class IssuanceItem(models.Model):
    """The snapshot of one candidate to issue for, as the issuing side handed it over. Its ``status``
    (pending, issued, refused) is the batch runner's bookkeeping, a plain field like the batch's."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待签发")
        ISSUED = "issued", _("已签发")
        EXISTING = "existing", _("此前已发证")
        REFUSED = "refused", _("不予签发")

    batch = models.ForeignKey(
        IssuanceBatch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("序号"))
    source_key = models.CharField(_("来源标识"), max_length=100)
    holder_name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    document_kind = document_kind_field()
    id_number = models.CharField(_("证件号码"), max_length=constants.DOCUMENT_NUMBER_LENGTH)
    occupation = models.ForeignKey(
        "portal.Occupation", verbose_name=_("职业"), null=True, blank=True, on_delete=models.PROTECT
    )
    occupation_code = models.CharField(_("职业编码"), max_length=10)
    occupation_name = models.CharField(_("职业名称"), max_length=100)
    work_type = models.CharField(_("工种"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(_("技能等级"))
    photo = models.FileField(_("照片"), upload_to="certificates/photos/", max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("原因"), blank=True)
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("证书"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("签发明细")
        verbose_name_plural = _("签发明细")
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="certificates_item_unique_position"),
        ]
        indexes = [models.Index(fields=["batch", "status", "position"])]

    def __str__(self):
        return f"{self.batch_id}/{self.position} {self.holder_name}"


# --- Lookup log (issue 8: public lookup and verification) ------------------------------------------


class LookupEvent(models.Model):
    """One public lookup, verification, API call or e-certificate download (as OpenCRVS logs them):
    when, a salted hash of the address (portal.ratelimit.hashed_ip; never the address), the code asked
    about and the outcome. Never the ID number or name asked with. Staff read counts per day and bursts
    from it (certificates/lookup_stats.py)."""

    class Kind(models.TextChoices):
        LOOKUP = "lookup", _("网页查询")
        VERIFY = "verify", _("扫码核验")
        API = "api", _("接口查询")
        DOWNLOAD = "download", _("下载电子证书")

    class Outcome(models.TextChoices):
        FOUND = "found", _("查到")
        NOT_FOUND = "not_found", _("未查到")
        VALID = "valid", _("有效")
        REVOKED = "revoked", _("已撤销")
        MISMATCH = "mismatch", _("与登记记录不符")
        UNSIGNED = "unsigned", _("缺少签名")
        INVALID = "invalid", _("请求不完整")
        LIMITED = "limited", _("超出频率限制")

    at = models.DateTimeField(_("时间"), default=timezone.now)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    ip_hash = models.CharField(_("来源地址摘要"), max_length=16)
    code = models.CharField(_("证书编号"), max_length=22, blank=True)

    class Meta:
        verbose_name = _("证书查询记录")
        verbose_name_plural = _("证书查询记录")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["at"], name="certificates_lookup_at"),
            models.Index(fields=["ip_hash", "at"], name="certificates_lookup_ip_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.outcome} {self.code}"


# --- Linked documents (issue 43 item 3) -------------------------------------------------------------


class DocumentLink(models.Model):
    """Two documents of one person (a resident ID and a passport, say), linked by centre staff: a public
    lookup by either document finds the certificates issued under both (certificates/documents.py). Each
    pair is stored once, in a fixed order (documents.ordered)."""

    kind = document_kind_field()
    number = models.CharField(_("证件号码"), max_length=constants.DOCUMENT_NUMBER_LENGTH)
    other_kind = models.CharField(_("关联证件类型"), max_length=20, choices=identifiers.DocumentKind.choices)
    other_number = models.CharField(_("关联证件号码"), max_length=constants.DOCUMENT_NUMBER_LENGTH)
    reason = models.TextField(_("关联依据"))
    linked_by = done_by(_("关联人"))
    linked_at = models.DateTimeField(_("关联时间"), default=timezone.now)

    class Meta:
        verbose_name = _("同一人的关联证件")
        verbose_name_plural = _("同一人的关联证件")
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number", "other_kind", "other_number"],
                name="certificates_document_link_once",
            )
        ]
        indexes = [models.Index(fields=["other_kind", "other_number"], name="certificates_link_other")]

    def __str__(self):
        return f"{self.kind}:{self.number} = {self.other_kind}:{self.other_number}"
