"""Chinese working days (工作日): every deadline of the notices is counted in them.

A working day is a Monday-Friday that is not a statutory holiday, or a weekend day declared a make-up
working day (调休上班). The official data come from the ``chinese-calendar`` package (2004 up to the
last year it ships); staff entries in :class:`portal.models.CalendarDay` override it day by day, which is
how a year announced after the release is entered (the State Council publishes each year's holidays
late in the year before).

A year is *known* when the package ships it or when staff have declared its calendar complete
(:class:`portal.models.CalendarYear`, usually on importing the State Council's notice, see
``portal/calendar_import.py``). Entries alone never make a year known: one entry for 1 January says
nothing about the Spring Festival. A date in an unknown year raises :class:`CalendarYearUnknown`:
counting weekends alone would silently be wrong around the Spring Festival. Pages and tasks that must
show *something* call :func:`deadline_after`, which falls back to a provisional date (weekends plus
staff entries) and says so.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chinese_calendar import constants as official
from django.utils import timezone
from django.utils.translation import gettext as _

# The package raises for years outside the range it ships; derive the range from its data.
OFFICIAL_FIRST_YEAR = min(official.holidays).year
OFFICIAL_LAST_YEAR = max(official.holidays).year

# Staff entries made in another process show here within this many seconds (this process sees its own
# changes at once through the post_save signal).
CACHE_SECONDS = 300

# From 1 December staff are warned that next year's calendar is not known yet (the current year is
# warned about all year while it is unknown).
WARN_FROM_MONTH_DAY = (12, 1)

# Where a year's status comes from (for the calendar page).
SOURCE_OFFICIAL = "official"  # shipped by the chinese-calendar package
SOURCE_DECLARED = "declared"  # declared complete by staff
SOURCE_INCOMPLETE = "incomplete"  # neither: deadlines in it are provisional


class CalendarYearUnknown(Exception):
    """The working days of ``year`` are neither in the official data nor entered by staff."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _("%(year)s 年的法定节假日安排尚未公布或尚未录入工作日历，无法计算工作日。") % {"year": year}
        )


@dataclass(frozen=True)
class _Year:
    known: bool
    # Days whose status differs from the plain weekday/weekend rule.
    days_off_on_weekdays: frozenset[date]
    working_weekend_days: frozenset[date]

    def is_working_day(self, d: date) -> bool:
        if d.weekday() < 5:
            return d not in self.days_off_on_weekdays
        return d in self.working_weekend_days


_cache: dict[int, tuple[float, _Year]] = {}
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def year_rows(year: int, official_year: bool):
    """The query of a year's staff entries as (date, is_working_day); for a year the package does not
    ship, with its "declared complete" flag in the same query (every staff page asks about next year
    from 1 December), as a row without a date. No ORDER BY (the models order by date): SQLite refuses
    one inside a compound statement."""
    from django.db.models import BooleanField, DateField, Value

    from .models import CalendarDay, CalendarYear  # the models import this module's neighbours: lazy

    entries = CalendarDay.objects.filter(date__year=year).order_by().values_list("date", "is_working_day")
    if official_year:
        return entries
    declared = (
        CalendarYear.objects.filter(year=year, complete=True)
        .order_by()
        .annotate(no_date=Value(None, output_field=DateField()), flag=Value(True, BooleanField()))
        .values_list("no_date", "flag")
    )
    return entries.union(declared, all=True)


def _load_year(year: int) -> _Year:
    off: set[date] = set()
    worked: set[date] = set()
    known = is_official_year(year)
    if known:
        off = {d for d in official.holidays if d.year == year and d.weekday() < 5}
        worked = {d for d in official.workdays if d.year == year}
    entries = list(year_rows(year, known))
    known = known or any(d is None for d, _working in entries)
    for d, working in entries:
        if d is None:
            continue
        if working:
            off.discard(d)
            if d.weekday() >= 5:
                worked.add(d)
        else:
            worked.discard(d)
            if d.weekday() < 5:
                off.add(d)
    return _Year(known, frozenset(off), frozenset(worked))


def is_official_year(year: int) -> bool:
    """Whether the chinese-calendar package ships ``year`` (such a year is always complete)."""
    return OFFICIAL_FIRST_YEAR <= year <= OFFICIAL_LAST_YEAR


def _declared_complete(year: int) -> bool:
    from .models import CalendarYear

    return CalendarYear.objects.filter(year=year, complete=True).exists()


def year_source(year: int) -> str:
    """SOURCE_OFFICIAL, SOURCE_DECLARED or SOURCE_INCOMPLETE (uncached: for the calendar page)."""
    if is_official_year(year):
        return SOURCE_OFFICIAL
    return SOURCE_DECLARED if _declared_complete(year) else SOURCE_INCOMPLETE


def _year(year: int) -> _Year:
    now = time.monotonic()
    cached = _cache.get(year)
    if cached and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    loaded = _load_year(year)
    with _lock:
        _cache[year] = (now, loaded)
    return loaded


def is_year_known(year: int) -> bool:
    # A year the package ships is complete whatever staff entered: no query (every staff page asks).
    return is_official_year(year) or _year(year).known


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a working day. Raises CalendarYearUnknown for an unknown year."""
    y = _year(d.year)
    if not y.known:
        raise CalendarYearUnknown(d.year)
    return y.is_working_day(d)


def _is_working_day_provisional(d: date) -> bool:
    # Weekends plus whatever staff entered: the best guess for an unannounced year.
    return _year(d.year).is_working_day(d)


def _step(start: date, n: int, working) -> date:
    if n < 1:
        raise ValueError("n must be at least 1: the start day itself never counts")
    d = start
    counted = 0
    while counted < n:
        d += timedelta(days=1)
        if working(d):
            counted += 1
    return d


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (n >= 1; ``start`` itself never counts).

    With the 2025 National Day holiday (1-8 October off, 28 September and 11 October worked),
    ``add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)``.
    """
    return _step(start, n, is_working_day)


def working_days_between(a: date, b: date) -> int:
    """The number of working days in the half-open interval (a, b]; 0 when b <= a."""
    count = 0
    d = a
    while d < b:
        d += timedelta(days=1)
        if is_working_day(d):
            count += 1
    return count


@dataclass(frozen=True)
class Deadline:
    """A due date for display: exact, or provisional when it reaches into an unannounced year."""

    date: date
    provisional: bool = False
    unknown_year: int | None = None

    def __str__(self):
        if self.provisional:
            return _("%(date)s（暂定：%(year)s 年节假日未公布）") % {
                "date": self.date.isoformat(),
                "year": self.unknown_year,
            }
        return self.date.isoformat()


def deadline_after(start: date, n: int) -> Deadline:
    """Like :func:`add_working_days`, but never raises for an unknown year: it returns a provisional
    date counted on weekends and staff entries, naming the first unknown year. Recomputing once staff
    have entered that year gives the exact date, so callers compute deadlines when they show them."""
    try:
        return Deadline(add_working_days(start, n))
    except CalendarYearUnknown as unknown:
        return Deadline(_step(start, n, _is_working_day_provisional), True, unknown.year)


@dataclass(frozen=True)
class Elapsed:
    """The working days a step has taken so far, for a step the notices set no limit on (bureau approval,
    expert evaluation, plan review, change review, complaints): late work shows without a due date
    (issue 29 item 9). ``provisional`` when the count reaches into a year whose holidays are unknown."""

    since: date
    days: int
    provisional: bool = False

    def __str__(self):
        if self.provisional:
            return _("已 %(days)s 个工作日（暂定）") % {"days": self.days}
        return _("已 %(days)s 个工作日") % {"days": self.days}

    @property
    def title(self) -> str:
        return _("自 %(since)s 起计；文件未规定本环节的办理时限") % {"since": self.since.isoformat()}


def elapsed_since(start, on: date | None = None) -> Elapsed:
    """The working days in (start, on]: a step begun today has taken 0. ``start`` may be a datetime
    (read in the portal's time zone). Never raises for an unknown year: counts it provisionally."""
    if isinstance(start, datetime):
        start = timezone.localtime(start).date() if timezone.is_aware(start) else start.date()
    on = on or today()
    try:
        return Elapsed(start, working_days_between(start, on))
    except CalendarYearUnknown:
        days = 0
        d = start
        while d < on:
            d += timedelta(days=1)
            days += _is_working_day_provisional(d)
        return Elapsed(start, days, True)


def today() -> date:
    """Today in the portal's time zone (Asia/Shanghai)."""
    return timezone.localdate()


def unknown_next_year_warning(on: date | None = None) -> int | None:
    """The year staff must be warned about: the current year while it is unknown, and from
    1 December next year while it is unknown (not declared complete)."""
    on = on or today()
    if not is_year_known(on.year):
        return on.year
    if (on.month, on.day) >= WARN_FROM_MONTH_DAY and not is_year_known(on.year + 1):
        return on.year + 1
    return None
