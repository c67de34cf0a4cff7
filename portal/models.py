"""What every part of the portal shares: accounts bound to institutions, the working-day calendar
overrides, the occupation directory, the audit trail and in-portal notifications."""

import re
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import identifiers
from .notices import cite

OCCUPATION_CODE_RE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")  # 职业分类大典: N-NN-NN-NN


def done_by(verbose_name, *, blank=True, related_name="+"):
    """The user who did something (created, confirmed, entered it): kept as NULL when that user goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def validate_occupation_code(value):
    if not OCCUPATION_CODE_RE.match(value or ""):
        raise ValidationError(_("职业代码格式应为 N-NN-NN-NN，例如 4-03-02-01。"), code="occupation_code")


class Institution(models.Model):
    """An organisation that holds applicant accounts (申报单位). Its filing applications, with the full
    form, live in the filings app; this is only its identity."""

    name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[identifiers.validate_institution_code]
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    contact_email = models.EmailField(_("联系邮箱"))
    created_at = models.DateTimeField(_("注册时间"), default=timezone.now)

    class Meta:
        verbose_name = _("申报单位")
        verbose_name_plural = _("申报单位")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A portal account. Applicants are bound to exactly one institution; staff accounts to none."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("手机号码"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def display_name(self):
        """How pages name the user: the person's name and, for an applicant, the unit (张联系（天津市某某
        公司）); the login name only when neither is known (issue 29 item 8: no "demo-inst9" on a trail).
        Pages listing many users select ``institution`` with them."""
        name = self.get_full_name()
        unit = self.institution.name if self.institution_id is not None else ""
        if name and unit:
            return f"{name}（{unit}）"
        return name or unit or self.username


class CalendarDay(models.Model):
    """A staff entry for one day, overriding the chinese-calendar package: how a newly announced year
    (published by the State Council each November/December) is entered without a release."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True, help_text=_("例如：春节、国庆节调休上班"))
    updated_by = done_by(_("录入人"), related_name=None)
    updated_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日历条目")
        verbose_name_plural = _("工作日历条目")
        ordering = ["date"]

    def __str__(self):
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.date:%Y-%m-%d} {kind} {self.note}".strip()


class CalendarYear(models.Model):
    """Staff's word that a year's calendar is complete: every holiday and make-up working day of the
    State Council's notice for that year is entered. Until then the year's deadlines stay provisional,
    however many entries it has (one entry for 1 January says nothing about the Spring Festival)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    complete = models.BooleanField(_("已确认完整"), default=False)
    declared_by = done_by(_("确认人"))
    declared_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["year"]

    def __str__(self):
        state = _("已确认完整") if self.complete else _("未确认完整")
        return f"{self.year} {state}"


class Occupation(models.Model):
    """An occupation of the 职业分类大典 (national occupational classification)."""

    code = models.CharField(_("职业代码"), max_length=10, unique=True, validators=[validate_occupation_code])
    name = models.CharField(_("职业名称"), max_length=100, db_index=True)
    work_types = models.TextField(
        _("工种"), blank=True, help_text=_("每行一个工种；没有工种的职业留空（证书上显示“——”）。")
    )
    industry = models.CharField(_("行业"), max_length=50, blank=True)
    category = models.CharField(_("类别"), max_length=50, blank=True)
    access_type = models.BooleanField(
        _("准入类职业"),
        default=False,
        help_text=format_lazy(_("准入类职业不得开展职业技能等级认定（{ref}）。"), ref=cite("seed 000 二")),
    )
    # seed 000 二: a social training evaluation organisation takes skill-type occupations (技能类职业) with a
    # national standard, or newly published ones with a standard; access-type ones and those under a
    # ministry special rule are excluded. The type is kept here so staff can add an occupation in the admin.
    skill_type = models.BooleanField(
        _("技能类职业"),
        default=True,
        help_text=format_lazy(
            _("社会培训评价组织只能认定技能类职业（{ref}）；新发布的职业（工种）同样填写。"),
            ref=cite("seed 000 二"),
        ),
    )
    special_rule = models.BooleanField(
        _("人力资源社会保障部有特殊规定"),
        default=False,
        help_text=format_lazy(
            _("有特殊规定的职业不由社会培训评价组织认定（{ref}）。"), ref=cite("seed 000 二")
        ),
    )
    in_social_directory = models.BooleanField(
        _("列入天津市社会培训评价职业目录（2020 年）"),
        default=False,
        help_text=format_lazy(
            _("2020 年公布的目录（{ref}），保留备查；这些职业视为有国家职业技能标准。"),
            ref=cite("seed 003 附件1"),
        ),
    )
    # seed 002 附件1 二: enterprises run a 职业技能鉴定 only for the occupations of the 国家职业资格目录 that the
    # 市人社局 appraises alone or with an industry association; the notice names none, so staff keep the list
    # here (fixtures/appraisal_occupations.json names its source).
    bureau_appraisal = models.BooleanField(
        _("市人社局实施职业技能鉴定（国家职业资格目录）"),
        default=False,
        help_text=format_lazy(
            _(
                "《国家职业资格目录》中由市人社局单独或会同有关行业协会实施技能鉴定的职业（工种），"
                "企业可申请在企业内开展鉴定（{ref}）。"
            ),
            ref=cite("seed 002 附件1 二"),
        ),
    )
    green = models.BooleanField(_("绿色职业（L）"), default=False, help_text=_("大典中以 L 标识的绿色职业"))
    standard_year = models.PositiveSmallIntegerField(
        _("国家职业技能标准颁布年份"),
        null=True,
        blank=True,
        help_text=format_lazy(
            _(
                "填写即表示该职业有国家职业技能标准；标准颁布不足 6 年的，社会团体不受培训评价年限限制（{ref}）。"
            ),
            ref=cite("seed 000 二"),
        ),
    )

    class Meta:
        verbose_name = _("职业")
        verbose_name_plural = _("职业目录")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def work_type_list(self):
        return [w.strip() for w in self.work_types.splitlines() if w.strip()]


class AuditEvent(models.Model):
    """One thing that happened, under a named event (see portal.audit.EVENTS). Append-only."""

    event = models.CharField(_("事件"), max_length=64, db_index=True)
    actor = done_by(_("操作人"), related_name=None)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    internal = models.BooleanField(_("内部备注"), default=False, help_text=_("内部备注不向申报单位显示"))
    data = models.JSONField(_("附加数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计日志")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.event}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit events are append-only")


class Notification(models.Model):
    """An in-portal message to one user (the bell in the navigation bar)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("用户"),
    )
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.text


class OutboxMail(models.Model):
    """One e-mail of any procedure, identified by ``key`` (an audit row and address, or a clock and its
    due date): written in the transaction that decided it, sent after commit by one idempotent task
    that claims it first (portal.outbox)."""

    key = models.CharField(_("键"), max_length=120, unique=True)
    to = models.EmailField(_("收件人"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("关于")
    )
    about_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # Written only once the SMTP server accepted the message (portal.outbox.deliver).
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # The claim of the sender now working on it (a task or the sweep): when it was taken. A claim older
    # than portal.outbox.CLAIM_TIMEOUT belongs to a sender that died, and is taken over.
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # After a failed attempt: not before this time (the backoff of portal.outbox.retry_delay).
    next_try_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    # Given up after portal.outbox.MAX_ATTEMPTS: staff see it among the failed mails and may resend it.
    failed_at = models.DateTimeField(_("发送失败时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    # "filings:17" or "certification:9": the row this mail had before the two mail tables were merged,
    # so that a task queued under the old names still finds it (one release).
    legacy_ref = models.CharField(_("原记录"), max_length=40, blank=True, db_index=True)

    class Meta:
        verbose_name = _("邮件通知")
        verbose_name_plural = _("邮件通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["about_type", "about_id"])]
        # Centre staff send a failed mail again (portal.outbox.resend, from the admin's failed list).
        permissions = [("resend_outboxmail", _("可以重新发送邮件"))]

    def __str__(self):
        return f"{self.to} {self.subject}"


class Job(models.Model):
    """A long piece of work run by the worker for one user (issue 39 item 4: a large roster check), with its
    progress: the page polls it, and the user may leave and come back (``/jobs/``). Its ``status`` is the
    worker's bookkeeping, like an issuance batch's, not a business state."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("未完成")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    message = models.TextField(_("说明"), blank=True)
    source = models.FileField(_("上传文件"), upload_to="jobs/in/", max_length=200, blank=True)
    options = models.JSONField(_("选项"), default=dict, blank=True)
    result = models.FileField(_("结果文件"), upload_to="jobs/out/", max_length=200, blank=True)
    result_name = models.CharField(_("结果文件名"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="portal_job_owner_recent")]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, round(100 * self.done / self.total)) if self.total else 0

    @property
    def is_over(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class StoredFile(models.Model):
    """A file kept in PostgreSQL by portal.storage.DatabaseStorage (FILE_STORAGE=database, issue 41): every
    web host and worker reads the same files through the one database, with no shared disk. Not used with
    the default local storage."""

    name = models.CharField(_("文件名"), max_length=255, unique=True)
    content = models.BinaryField(_("内容"))
    size = models.PositiveBigIntegerField(_("大小"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("存储的文件")
        verbose_name_plural = _("存储的文件")

    def __str__(self):
        return self.name
