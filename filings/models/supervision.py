"""Supervision (seed 001 第二十条至第二十五条): complaints, the 双随机 inspection draws and inspections.
Business rules in filings.complaints and filings.supervision."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from portal.models import done_by

from ..constants_after import (
    ComplaintOutcome,
    ComplaintState,
    InspectionKind,
    InspectionMethod,
    ReferralGround,
    ReferralState,
)
from .application import Filing, staff_only
from .common import RecordedDraw, optional_link


class Complaint(FSMModelMixin, models.Model):
    """A complaint or report (投诉举报, seed 001 第二十三条) from anyone about a filed institution. The
    centre investigates and closes it through portal.transitions (filings.complaints); its events go
    on its filing's trail, or on its own when it names no filing."""

    name = models.CharField(_("姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    institution_name = models.CharField(_("被投诉机构"), max_length=200)
    filing = optional_link(Filing, _("对应备案"), related_name="complaints")
    text = models.TextField(_("投诉举报内容"))
    attachment = models.FileField(_("附件"), max_length=200, blank=True)
    attachment_kind = models.CharField(max_length=10, blank=True)
    ip_hash = models.CharField(max_length=16, blank=True)
    state = FSMField(
        _("处理状态"),
        max_length=16,
        choices=ComplaintState.choices,
        default=ComplaintState.OPEN,
        db_index=True,
        protected=True,
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    assignee = done_by(_("经办人"))
    outcome = models.CharField(_("处理结果"), max_length=16, choices=ComplaintOutcome.choices, blank=True)
    outcome_text = models.TextField(_("处理意见"), blank=True)
    closed_by = done_by(None)
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

    # -- the machine (portal.transitions fires it; filings.complaints sets the fields) --
    transition_lock = "row"
    state_refusal = _("投诉举报当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该投诉已被他人处理，请刷新后重试")

    @transition(
        field=state, source=ComplaintState.OPEN, target=ComplaintState.INVESTIGATING, permission=staff_only
    )
    def start_investigation(self):
        pass

    @transition(
        field=state,
        source=[ComplaintState.OPEN, ComplaintState.INVESTIGATING],
        target=ComplaintState.CLOSED,
        permission=staff_only,
    )
    def close(self):
        pass


class InspectionDraw(RecordedDraw):
    """A 双随机 draw (seed 001 第十九条): inspectors and institutions drawn at random for a period. The
    pools and the seed are kept, so random.Random(seed) over the sorted pools gives the same result."""

    period_start = models.DateField(_("检查期间起"))
    period_end = models.DateField(_("检查期间止"))
    institution_pool = models.JSONField(_("候选备案（ID）"))
    inspector_pool = models.JSONField(_("候选检查人员（用户 ID）"))
    institutions = models.JSONField(_("抽中备案（ID）"))
    inspectors = models.JSONField(_("抽中检查人员（用户 ID）"))

    class Meta(RecordedDraw.Meta):
        verbose_name = _("双随机抽查")
        verbose_name_plural = _("双随机抽查")

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
    # seed 001 第十九条第二款 (“双随机、一公开”): the finding and the measure taken, published on the
    # public page of supervision results once the centre says so (filings.supervision.publish_inspection).
    measure = models.TextField(_("处理措施"), blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True, db_index=True)
    draw = optional_link(InspectionDraw, _("双随机抽查"), related_name="inspections")
    created_by = done_by(None, blank=False)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督导检查记录")
        verbose_name_plural = _("督导检查记录")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self):
        return f"{self.filing.name} {self.inspected_on} {self.get_method_display()}"


class Referral(FSMModelMixin, models.Model):
    """A case referred to another authority (移交有关部门依法处理, seed 001 第二十四条 for an institution,
    第二十六条 for the management's own staff), and the outcome that authority reports back. The centre
    refers and records the outcome through portal.transitions (filings.supervision)."""

    ground = models.CharField(_("移交情形"), max_length=16, choices=ReferralGround.choices)
    filing = optional_link(Filing, _("涉及评价机构"), related_name="referrals")
    subject = models.CharField(_("移交对象"), max_length=200)
    authority = models.CharField(_("接收部门"), max_length=200)
    facts = models.TextField(_("移交事由"))
    referred_on = models.DateField(_("移交日期"))
    complaint = optional_link(Complaint, _("来源投诉"), related_name="referrals")
    inspection = optional_link(Inspection, _("来源督导检查"), related_name="referrals")
    state = FSMField(
        _("状态"),
        max_length=16,
        choices=ReferralState.choices,
        default=ReferralState.REFERRED,
        db_index=True,
        protected=True,
    )
    outcome = models.TextField(_("处理结果"), blank=True)
    concluded_on = models.DateField(_("反馈日期"), null=True, blank=True)
    created_by = done_by(_("经办人"), blank=False)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    concluded_by = done_by(_("登记反馈人"))

    class Meta:
        verbose_name = _("移交记录")
        verbose_name_plural = _("移交记录")
        ordering = ["-referred_on", "-pk"]

    def __str__(self):
        return f"{self.subject} → {self.authority}（{self.get_state_display()}）"

    # -- the machine (portal.transitions fires it; filings.supervision sets the fields) --
    transition_lock = "row"
    state_refusal = _("该移交记录当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该移交记录已被他人处理，请刷新后重试")

    @transition(
        field=state, source=ReferralState.REFERRED, target=ReferralState.CONCLUDED, permission=staff_only
    )
    def conclude(self):
        """The receiving authority's outcome recorded."""
