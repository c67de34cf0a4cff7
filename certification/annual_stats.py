"""Certification's part of the annual statistics (issue 38 item 5; seed 004 四(四)3 统一汇总后报省): the plans
whose assessment started in the year (drafts left out) by state, their candidates by level, and those of
them verified passing (seed 001 第十六条(三): the centre verified the result and the candidate passed), by
level. A constant number of queries whatever the data size: GROUP BY for the counts; passing needs the
plan's methods (and the reviews for levels 1-2), so it reads the verified rows as ``summary.build`` does.
The page (and the parts from filings and certificates) lives in certificates.annual_stats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from . import summary
from .constants import Level, State
from .models import AssessmentPlan, Candidate
from .workflow import candidate_passed


def year_bounds(year: int) -> tuple[date, date]:
    """The first day of ``year`` and of the year after."""
    return date(year, 1, 1), date(year + 1, 1, 1)


@dataclass
class LevelFigures:
    level: int
    label: str
    candidates: int
    passing: int

    @property
    def rate(self) -> float | None:
        """Verified passing / candidates, in per cent (None without candidates)."""
        return round(100 * self.passing / self.candidates, 1) if self.candidates else None


@dataclass
class YearFigures:
    plans: list[tuple[str, str, int]]  # (state, label, count)
    levels: list[LevelFigures]  # 初级工 ... 高级技师 (the columns of 附件7)

    @property
    def plan_total(self) -> int:
        return sum(n for _s, _l, n in self.plans)

    @property
    def candidates(self) -> int:
        return sum(f.candidates for f in self.levels)

    @property
    def passing(self) -> int:
        return sum(f.passing for f in self.levels)

    @property
    def rate(self) -> float | None:
        return round(100 * self.passing / self.candidates, 1) if self.candidates else None


def year_figures(year: int) -> YearFigures:
    """Five queries: plans by state, candidates by level, the verified rows (levels 3-5; 1-2 with their
    reviews)."""
    start, end = year_bounds(year)
    plans = AssessmentPlan.objects.exclude(state=State.DRAFT).filter(
        start_date__gte=start, start_date__lt=end
    )
    by_state = dict(plans.values_list("state").annotate(n=Count("*")).order_by())
    candidates = dict(
        Candidate.objects.filter(plan__in=plans).values_list("level").annotate(n=Count("*")).order_by()
    )
    verified = summary.certified().filter(plan__start_date__gte=start, plan__start_date__lt=end)
    passing: dict[int, int] = {}
    for qs in (verified.filter(level__gte=3), verified.filter(level__lte=2).prefetch_related("reviews")):
        for candidate in qs:
            if candidate_passed(candidate, candidate.plan.methods):
                passing[candidate.level] = passing.get(candidate.level, 0) + 1
    return YearFigures(
        plans=[(value, str(label), by_state[value]) for value, label in State.choices if by_state.get(value)],
        levels=[
            LevelFigures(level, str(Level(level).label), candidates.get(level, 0), passing.get(level, 0))
            for level in summary.LEVEL_ORDER
        ],
    )
