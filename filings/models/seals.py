"""Seals (印章) printed on the documents: an institution's official seal on its certificates (over 评价机构（印章）),
the centre's on the filing notice, the bureau's on the 职业资格证书 (issue 39 item 2). An institution's seal is
a change the centre approves (its own small machine, fired through portal.transitions by filings.seals);
the two offices' seals are put in by the admin (filings.seals.install_office_seal)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from portal import roles
from portal.models import done_by


class SealState(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已启用")
    REFUSED = "refused", _("不予启用")


class SealOwner(models.TextChoices):
    INSTITUTION = "institution", _("评价机构")
    CENTRE = "centre", _("市职业技能鉴定指导中心")
    BUREAU = "bureau", _("市人力资源和社会保障局")


def _centre(obj, user) -> bool:
    return roles.has_role(user, roles.CENTRE)


class Seal(FSMModelMixin, models.Model):
    """One seal image as uploaded, checked by content (filings.seals.check_image). The one in use is the
    latest approved of its owner (filings.seals.current)."""

    transition_lock = "row"
    state_refusal = _("印章申请当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该印章申请已被他人处理，请刷新后重试")

    owner = models.CharField(
        _("印章所属"), max_length=12, choices=SealOwner.choices, default=SealOwner.INSTITUTION
    )
    institution = models.ForeignKey(
        "portal.Institution",
        on_delete=models.PROTECT,
        related_name="seals",
        verbose_name=_("评价机构"),
        null=True,
        blank=True,
    )
    image = models.FileField(_("印章图片"), upload_to="filings/seals/", max_length=200)
    width = models.PositiveIntegerField(_("宽（像素）"))
    height = models.PositiveIntegerField(_("高（像素）"))
    reason = models.TextField(_("变更理由"), blank=True)
    state = FSMField(
        _("状态"), max_length=10, choices=SealState.choices, default=SealState.SUBMITTED, protected=True
    )
    requested_by = done_by(_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = done_by(_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("印章")
        verbose_name_plural = _("印章")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "institution", "state", "decided_at"], name="filings_seal_current")
        ]

    def __str__(self):
        who = self.institution.name if self.institution_id else self.get_owner_display()
        return f"{who} {self.get_state_display()}"

    @transition(field=state, source=SealState.SUBMITTED, target=SealState.APPROVED, permission=_centre)
    def approve(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=SealState.SUBMITTED, target=SealState.REFUSED, permission=_centre)
    def refuse(self):
        self.decided_at = timezone.now()
