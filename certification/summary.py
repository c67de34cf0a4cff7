"""The results summary of seed 004 附件7 (职业技能等级认定结果汇总表): people certified per occupation x
level, with a subtotal per occupation and totals per level. "Certified" = verified passing candidates
(seed 001 第十六条(三)), counted in the month of verification."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from portal.sheets import safe_cell

from .constants import Level, State, Verification
from .models import Candidate, Seat
from .workflow import candidate_passed

LEVEL_ORDER = (5, 4, 3, 2, 1)  # the columns of 附件7: 初级工 ... 高级技师


@dataclass
class SummaryRow:
    occupation: str
    work_type: str
    counts: dict[int, int]

    @property
    def subtotal(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts.get(level, 0) for level in LEVEL_ORDER]


@dataclass
class Summary:
    rows: list[SummaryRow]
    absent: int = 0  # issue 44: candidates marked absent from an exam, counted apart (not in the table)

    def totals(self) -> list[int]:
        return [sum(r.counts.get(level, 0) for r in self.rows) for level in LEVEL_ORDER]

    @property
    def total(self) -> int:
        return sum(r.subtotal for r in self.rows)


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


def certified(institution=None, month: date | None = None):
    qs = Candidate.objects.filter(
        plan__state__in=[State.VERIFIED, State.UPLOADED], verification=Verification.ACCEPTED
    ).select_related("plan__occupation")
    if institution is not None:
        qs = qs.filter(plan__institution=institution)
    if month is not None:
        start, end = month_bounds(month)
        qs = qs.filter(plan__verified_on__gte=start, plan__verified_on__lt=end)
    return qs


def build(institution=None, month: date | None = None) -> Summary:
    """Counts verified passing candidates per (occupation, work type) and level."""
    qs = certified(institution, month)
    counts: dict[tuple[str, str], dict[int, int]] = {}

    def add(occupation, work_type, level, n):
        key = (f"{occupation.code} {occupation.name}", work_type or "——")
        counts.setdefault(key, {})
        counts[key][level] = counts[key].get(level, 0) + n

    # Methods vary per plan, so passing is decided in Python; level 1/2 also read their reviews.
    for candidate in qs.filter(level__gte=3):
        if candidate_passed(candidate, candidate.plan.methods):
            add(candidate.plan.occupation, candidate.plan.work_type, candidate.level, 1)
    for candidate in qs.filter(level__lte=2).prefetch_related("reviews"):
        if candidate_passed(candidate, candidate.plan.methods):
            add(candidate.plan.occupation, candidate.plan.work_type, candidate.level, 1)
    rows = [SummaryRow(occ, wt, c) for (occ, wt), c in sorted(counts.items())]
    return Summary(rows, absent=absent_count(institution, month))


def absent_count(institution=None, month: date | None = None) -> int:
    """Candidates of the same plans (verified, in the month of verification) marked absent from at least one
    exam session: counted apart, since the 附件7 table counts the certified only."""
    qs = Candidate.objects.filter(
        plan__state__in=[State.VERIFIED, State.UPLOADED], seats__attendance=Seat.Attendance.ABSENT
    )
    if institution is not None:
        qs = qs.filter(plan__institution=institution)
    if month is not None:
        start, end = month_bounds(month)
        qs = qs.filter(plan__verified_on__gte=start, plan__verified_on__lt=end)
    return qs.distinct().count()


def headers() -> list[str]:
    return (
        [_("职业（工种）名称"), _("工种")] + [str(Level(level).label) for level in LEVEL_ORDER] + [_("小计")]
    )


def to_xlsx(summary: Summary, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("汇总表")
    sheet.append([safe_cell(title)])
    sheet.append([_("单位：人")])
    sheet.append(headers())
    for row in summary.rows:
        sheet.append([safe_cell(row.occupation), safe_cell(row.work_type), *row.cells(), row.subtotal])
    sheet.append([_("合  计"), "", *summary.totals(), summary.total])
    if summary.absent:
        sheet.append([_("另有缺考 %(n)s 人（不计入上表）。") % {"n": summary.absent}])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
