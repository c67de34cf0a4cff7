"""What several filings models share, declared once: the user who did something, a request after filing
and its decision, a random draw kept with its seed, an expert's score sheet, and levels kept as digits.

The bases are abstract (no table of their own) and declare the very fields the models declared
before, so they need no migration (``makemigrations --check`` stays clean)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMModelMixin

from portal import levels
from portal.models import done_by


def level_set(levels: str) -> frozenset[int]:
    """Levels are kept as a string of digits ("345"); the set of those levels."""
    return frozenset(int(c) for c in levels if c.isdigit())


def optional_link(to, verbose_name, *, related_name: str = "+"):
    """An optional link to another row (the complaint a sanction came from, the person a change
    removes): left empty in forms, emptied when that row is deleted."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class WithLevels:
    """A row with ``levels`` as digits (a filed occupation, an added-scope change)."""

    @property
    def level_set(self) -> frozenset[int]:
        return level_set(self.levels)

    @property
    def levels_display(self) -> str:
        """The levels by name (四级/中级工、五级/初级工), never the digits the row keeps."""
        return levels.levels_text(self.levels)


class AfterFilingRequest(FSMModelMixin, models.Model):
    """A filed institution's request (a change, a renewal, a termination): who asked and when, who
    decided and when. Its steps are fired through portal.transitions under a row lock; its state is a
    protected FSM field (FSMModelMixin lets refresh_from_db reload it)."""

    requested_by = done_by(_("申请人"), blank=False)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = done_by(None)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    transition_lock = "row"

    class Meta:
        abstract = True
        ordering = ["-requested_at"]


class RecordedDraw(models.Model):
    """A random draw (portal.draws) kept with its seed, so anyone can repeat it."""

    seed = models.CharField(_("随机种子"), max_length=64)
    drawn_by = done_by(None, blank=False)
    drawn_at = models.DateTimeField(_("抽取时间"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-drawn_at"]


class ScoreSheet(models.Model):
    """One drawn expert's scores (材料审核, 现场考察, 质询答辩), opinion and recommendation: on a filing
    (ExpertReview) or on an added-scope change (ChangeReview)."""

    material_score = models.PositiveSmallIntegerField(_("材料审核得分"), null=True, blank=True)
    onsite_score = models.PositiveSmallIntegerField(_("现场考察得分"), null=True, blank=True)
    qa_score = models.PositiveSmallIntegerField(_("质询答辩得分"), null=True, blank=True)
    opinion = models.TextField(_("专家意见"), blank=True)
    recommend = models.BooleanField(_("建议通过"), null=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    @property
    def total(self):
        if self.submitted_at is None:
            return None
        return round((self.material_score + self.onsite_score + self.qa_score) / 3, 2)

    def fill(self, *, material: int, onsite: int, qa: int, opinion: str, recommend: bool) -> None:
        """Writes checked scores (filings.workflow.check_scores) as submitted now."""
        self.material_score, self.onsite_score, self.qa_score = int(material), int(onsite), int(qa)
        self.opinion, self.recommend, self.submitted_at = opinion, bool(recommend), timezone.now()
