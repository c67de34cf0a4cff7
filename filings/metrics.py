"""The filings figures of /metrics (portal.metrics, issue 41 item 3), registered from FilingsConfig.ready:
the filing queue by state and what is past its deadline."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from portal import metrics

from . import constants, deadlines
from .models import Filing

# The queue's states with a running clock (the others wait for nobody: filed, rejected).
TIMED = [
    state
    for state in constants.QUEUE_STATES
    if state not in (constants.State.FILED, constants.State.REJECTED)
]


def queue_items() -> dict[str, int]:
    found = dict(
        Filing.objects.filter(state__in=TIMED).values_list("state").annotate(n=Count("*")).order_by()
    )
    return {f"filings.{state}": found.get(state, 0) for state in TIMED}


def overdue_items() -> dict[str, int]:
    today = timezone.localdate()
    return {
        "filings.queue": Filing.objects.filter(state__in=TIMED, due_on__lt=today).count(),
        "filings.rectification": deadlines.overdue_rectifications(today).count(),
    }


def register() -> None:
    metrics.register_gauge(metrics.QUEUE_ITEMS, metrics.QUEUE_DOC, "queue", queue_items)
    metrics.register_gauge(metrics.OVERDUE_ITEMS, metrics.OVERDUE_DOC, "kind", overdue_items)
