"""The role dashboards (工作台, issue 37): portal draws them, the apps above it fill them.

Portal sits at the bottom of the layers (tests/layers.py) and may not import the apps whose queues a
dashboard counts, so each app registers its own figures at start-up (its AppConfig.ready), the way apps
register their roles (``roles.register``) and clauses (``notices.register_clauses``):

- ``register_panel(role, order, build)``: ``build(today)`` returns a :class:`Panel` of counts, each
  with the URL of the list behind it (that list's own filters in the query string, so the list shows
  the same number);
- ``register_chart(role, order, build)``: ``build(months)`` returns a :class:`Chart` of monthly
  figures for the 12 months in ``months``.

Every builder runs a fixed number of aggregate queries (``values().annotate(Count)``, ``TruncMonth``)
whatever the number of rows; the clocks compare an indexed date column with cut-off days computed once
on the working-day calendar (:func:`last_start_due_by`), never a Python loop over rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from . import workdays

# What the dashboards call "soon": due within this many working days (issue 37).
SOON_WORKING_DAYS = 2
MONTHS = 12


@dataclass
class Figure:
    key: str  # stable name, for tests and data-testid
    label: str
    count: int
    url: str
    tone: str = ""  # "danger" (overdue), "warning" (due soon) or ""


@dataclass
class Row:
    """One line of a panel: a state (or a list) with its count and its clock figures."""

    key: str
    label: str
    total: Figure
    clocks: list[Figure] = field(default_factory=list)  # overdue, due today, due soon (or empty)


@dataclass
class Panel:
    key: str
    title: str
    rows: list[Row]
    timed: bool = True  # whether the rows carry clock columns
    provisional: bool = False  # a clock reaches into a year whose holidays are not confirmed
    note: str = ""
    column: str = ""  # the heading of the rows' column ("状态" unless told)


@dataclass
class Series:
    name: str
    data: list[int]


@dataclass
class Chart:
    key: str
    title: str
    series: list[Series]
    kind: str = "line"  # "line", "bar" or "stack"
    # A chart over categories (districts, occupations) instead of the months: their labels, and the
    # heading of the table's first column.
    categories: list[str] | None = None
    axis: str = ""
    # Columns of the table only, before the drawn series (the counts behind a drawn rate).
    table_only: list[Series] = field(default_factory=list)

    def as_json(self, months: list[date]) -> dict:
        labels = (
            [str(c) for c in self.categories]
            if self.categories is not None
            else [month_label(m) for m in months]
        )
        return {
            "key": self.key,
            "title": str(self.title),
            "kind": self.kind,
            "axis": str(self.axis),
            "months": labels,  # the x axis: the months, or the categories
            "series": [{"name": str(s.name), "data": s.data} for s in self.series],
            # The same numbers by month (or category), for the table under the chart.
            "columns": [str(s.name) for s in [*self.table_only, *self.series]],
            "rows": [
                {"month": label, "values": [s.data[i] for s in [*self.table_only, *self.series]]}
                for i, label in enumerate(labels)
            ],
        }


_PANELS: dict[str, list[tuple[int, object, bool]]] = {}
_CHARTS: dict[str, list[tuple[int, object, bool]]] = {}


def _register(registry, role, order, build, per_user) -> None:
    entries = registry.setdefault(role, [])
    if build not in [b for _, b, _ in entries]:
        entries.append((order, build, per_user))
        entries.sort(key=lambda e: e[0])


def register_panel(role: str, order: int, build, per_user: bool = False) -> None:
    """``build(today)``, or ``build(today, user)`` with ``per_user`` (an institution sees only its own)."""
    _register(_PANELS, role, order, build, per_user)


def register_chart(role: str, order: int, build, per_user: bool = False) -> None:
    """``build(months)``, or ``build(months, user)`` with ``per_user``."""
    _register(_CHARTS, role, order, build, per_user)


def panels(role: str, today: date, user=None) -> list[Panel]:
    return [build(today, user) if per_user else build(today) for _, build, per_user in _PANELS.get(role, [])]


def charts(role: str, months: list[date], user=None) -> list[Chart]:
    return [
        build(months, user) if per_user else build(months) for _, build, per_user in _CHARTS.get(role, [])
    ]


def has_dashboard(role: str) -> bool:
    return bool(_PANELS.get(role) or _CHARTS.get(role))


# -- months ----------------------------------------------------------------------------------------


def last_months(today: date, n: int = MONTHS) -> list[date]:
    """The first days of the ``n`` months ending with ``today``'s, oldest first."""
    year, month = today.year, today.month
    out = []
    for _ in range(n):
        out.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def month_label(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def monthly(queryset, field_name: str, months: list[date], by: str | None = None) -> dict:
    """Counts of ``queryset`` per month of ``field_name`` (a date or datetime column) over ``months``:
    one GROUP BY query. Returns {key: [n per month]} with key None, or each value of ``by``."""
    start = months[0]
    if isinstance(queryset.model._meta.get_field(field_name), models.DateTimeField):
        start = timezone.make_aware(datetime.combine(start, time.min))  # midnight in the portal's zone
    rows = (
        queryset.filter(**{f"{field_name}__gte": start})
        .annotate(month=TruncMonth(field_name))
        .values_list("month", *([by] if by else []))
        .annotate(n=Count("*"))
        .order_by()
    )
    index = {m: i for i, m in enumerate(months)}
    out: dict = {}
    for row in rows:
        month = row[0]
        if hasattr(month, "date"):  # a datetime (in the current time zone)
            month = month.date()
        key = row[1] if by else None
        i = index.get(month)
        if i is None:
            continue  # a date in the future
        out.setdefault(key, [0] * len(months))[i] += row[-1]
    return out


# -- clocks ----------------------------------------------------------------------------------------


def last_start_due_by(day: date, working_days: int) -> tuple[date, bool]:
    """The latest start date whose deadline ``working_days`` working days later falls on or before
    ``day`` (a deadline grows with its start, so "due by ``day``" is one comparison on the start column),
    and whether a date on the way was provisional (an unannounced year)."""
    start = day - timedelta(days=1)
    provisional = False
    while True:
        deadline = workdays.deadline_after(start, working_days)
        provisional = provisional or deadline.provisional
        if deadline.date <= day:
            return start, provisional
        start -= timedelta(days=1)


def soon_day(today: date) -> tuple[date, bool]:
    """The last day of "due within 2 working days" and whether it is provisional."""
    deadline = workdays.deadline_after(today, SOON_WORKING_DAYS)
    return deadline.date, deadline.provisional
