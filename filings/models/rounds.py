"""The bureau's application rounds (seed 001 第十条(一) 启动: 市人社局根据职业技能等级认定工作需要，发布评价
机构申报工作安排): which routes, which occupations, from when to when. Applications are submitted inside
an open round unless the bureau runs continuous intake (filings.rounds)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Occupation, done_by


class ApplicationRound(models.Model):
    """One published 申报工作安排: open for the routes it names from ``opens_on`` to ``closes_on`` (both
    days included), for the occupations it lists (none listed: every occupation)."""

    ROUTES = [("YS", _("用人单位和社会培训评价组织")), ("Y", _("用人单位")), ("S", _("社会培训评价组织"))]

    title = models.CharField(_("申报工作安排"), max_length=200)
    routes = models.CharField(_("申报类型"), max_length=2, choices=ROUTES, default="YS")
    occupations = models.ManyToManyField(
        Occupation,
        blank=True,
        related_name="application_rounds",
        verbose_name=_("申报职业（工种）"),
        help_text=_("不选择即不限职业"),
    )
    opens_on = models.DateField(_("申报开始日期"))
    closes_on = models.DateField(_("申报截止日期"))
    notice = models.TextField(_("工作安排说明"), blank=True)
    published_by = done_by(_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    class Meta:
        verbose_name = _("评价机构申报工作安排")
        verbose_name_plural = _("评价机构申报工作安排")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_it_opens"
            )
        ]

    def __str__(self):
        return f"{self.title}（{self.opens_on:%Y-%m-%d} — {self.closes_on:%Y-%m-%d}）"

    def takes(self, route: str) -> bool:
        return route in self.routes

    def is_open(self, on) -> bool:
        return self.opens_on <= on <= self.closes_on
