"""The review of an application: expert evaluation (draws, reviews, batches of social organisations)
and the objections raised during publicity (seed 001 第十条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from portal.models import done_by

from .application import Filing, staff_only
from .common import RecordedDraw, ScoreSheet


class EvaluationBatch(models.Model):
    """A selection round of social training evaluation organisations, ranked together (seed 001
    第十条(三): 统筹择优原则集中开展遴选)."""

    name = models.CharField(_("批次名称"), max_length=100)
    created_by = done_by(None, blank=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("遴选批次")
        verbose_name_plural = _("遴选批次")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class ExpertDraw(RecordedDraw):
    """The random draw of the evaluation panel: the pool, the seed and the result, so anyone can
    repeat it (random.Random(seed).sample(sorted pool, n))."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="draws")
    pool = models.JSONField(_("候选专家（用户 ID）"))
    excluded = models.JSONField(_("回避专家（用户 ID）"), default=list)
    drawn = models.JSONField(_("抽取结果（用户 ID）"))

    class Meta(RecordedDraw.Meta):
        verbose_name = _("专家抽取记录")
        verbose_name_plural = _("专家抽取记录")

    def __str__(self):
        return f"{self.filing_id} {self.seed}"


class ExpertReview(ScoreSheet):
    """One panel member's scores and opinion."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="expert_reviews")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_reviews"
    )
    draw = models.ForeignKey(ExpertDraw, on_delete=models.CASCADE, related_name="reviews")

    class Meta(ScoreSheet.Meta):
        verbose_name = _("专家评估")
        verbose_name_plural = _("专家评估")
        constraints = [models.UniqueConstraint(fields=["filing", "expert"], name="one_review_per_expert")]

    def __str__(self):
        return f"{self.filing_id} {self.expert}"


class ObjectionState(models.TextChoices):
    OPEN = "open", _("待处理")
    DISMISSED = "dismissed", _("异议不成立")
    UPHELD = "upheld", _("异议成立")


class Objection(FSMModelMixin, models.Model):
    """An objection (异议) raised by anyone during publicity; an open one holds the filing. The centre
    upholds or dismisses it through portal.transitions (filings.workflow.resolve_objection)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    attachment = models.FileField(_("附件"), max_length=200, blank=True)
    state = FSMField(
        _("处理状态"),
        max_length=10,
        choices=ObjectionState.choices,
        default=ObjectionState.OPEN,
        protected=True,
    )
    ip_hash = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    resolved_by = done_by(None, related_name=None)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filing} {self.get_state_display()}"

    # -- the machine (portal.transitions fires it; filings.workflow sets the fields) --
    transition_lock = "row"
    state_refusal = _("异议当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该异议已被他人处理，请刷新后重试")

    @transition(field=state, source=ObjectionState.OPEN, target=ObjectionState.UPHELD, permission=staff_only)
    def uphold(self):
        """The objection is founded: the filing is refused (filings.workflow)."""

    @transition(
        field=state, source=ObjectionState.OPEN, target=ObjectionState.DISMISSED, permission=staff_only
    )
    def dismiss(self):
        pass
