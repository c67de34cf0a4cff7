"""What staff read from the lookup log: counts per day and bursts (an address asking far more often
than people do, or a day far busier than the days before it)."""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from . import constants
from .models import LookupEvent

Kind = LookupEvent.Kind
Outcome = LookupEvent.Outcome


@dataclass
class DayCount:
    day: date
    total: int = 0
    by_kind: dict = field(default_factory=dict)
    not_found: int = 0  # not found, mismatch or unsigned: someone asked about a certificate we cannot show
    limited: int = 0
    burst: bool = False

    def kind(self, kind: str) -> int:
        return self.by_kind.get(kind, 0)


@dataclass(frozen=True)
class Burst:
    ip_hash: str
    hour: datetime
    count: int
    failed: int


FAILED = (Outcome.NOT_FOUND, Outcome.MISMATCH, Outcome.UNSIGNED, Outcome.INVALID)


def daily_counts(days: int = constants.LOOKUP_STATS_DAYS, today: date | None = None) -> list[DayCount]:
    """One row per day (newest first) for the last ``days`` days, zero days included. One query."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    rows = (
        LookupEvent.objects.filter(at__gte=start)
        .annotate(day=TruncDate("at"))
        .values("day", "kind", "outcome")
        .annotate(n=Count("id"))
    )
    by_day = {}
    for i in range(days):
        day = first + timedelta(days=i)
        by_day[day] = DayCount(day, by_kind={kind: 0 for kind in Kind.values})  # columns in Kind order
    for row in rows:
        day = by_day.get(row["day"])
        if day is None:
            continue
        day.total += row["n"]
        day.by_kind[row["kind"]] = day.by_kind.get(row["kind"], 0) + row["n"]
        if row["outcome"] in FAILED:
            day.not_found += row["n"]
        elif row["outcome"] == Outcome.LIMITED:
            day.limited += row["n"]
    ordered = [by_day[d] for d in sorted(by_day)]
    mark_busy_days(ordered)
    return list(reversed(ordered))


def mark_busy_days(days_oldest_first: list[DayCount], window: int = 14) -> None:
    """A day is a burst when it has at least LOOKUP_BURST_DAY_MINIMUM requests and at least
    LOOKUP_BURST_DAY_FACTOR times the median of the (up to) ``window`` days before it."""
    for i, day in enumerate(days_oldest_first):
        before = [d.total for d in days_oldest_first[max(0, i - window) : i]]
        median = statistics.median(before) if before else 0
        day.burst = day.total >= constants.LOOKUP_BURST_DAY_MINIMUM and day.total >= (
            constants.LOOKUP_BURST_DAY_FACTOR * max(median, 1)
        )


def bursts(
    now: datetime | None = None,
    days: int = constants.LOOKUP_BURST_WINDOW_DAYS,
    per_hour: int = constants.LOOKUP_BURST_PER_HOUR,
    limit: int = 50,
) -> list[Burst]:
    """Addresses (hashed) with at least ``per_hour`` requests within one clock hour, busiest first."""
    now = now or timezone.now()
    rows = (
        LookupEvent.objects.filter(at__gte=now - timedelta(days=days))
        .annotate(hour=TruncHour("at"))
        .values("ip_hash", "hour")
        .annotate(n=Count("id"), failed=Count("id", filter=Q(outcome__in=FAILED)))
        .filter(n__gte=per_hour)
        .order_by("-n", "-hour")[:limit]
    )
    return [Burst(r["ip_hash"], r["hour"], r["n"], r["failed"]) for r in rows]
