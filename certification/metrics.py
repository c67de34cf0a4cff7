"""The certification figures of /metrics (portal.metrics, issue 41 item 3), registered from
CertificationConfig.ready: plans waiting for the centre and plans whose clock has run out."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from portal import metrics

from .constants import State
from .models import AssessmentPlan
from .tasks import overdue_plans

# The plan states in which the centre acts next.
WAITING = (State.SUBMITTED, State.RESULTS_REPORTED)


def queue_items() -> dict[str, int]:
    found = dict(
        AssessmentPlan.objects.filter(state__in=WAITING)
        .values_list("state")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {f"certification.{state}": found.get(state, 0) for state in WAITING}


def overdue_items() -> dict[str, int]:
    return {"certification.plan_clock": sum(1 for _ in overdue_plans(timezone.localdate()))}


def register() -> None:
    metrics.register_gauge(metrics.QUEUE_ITEMS, metrics.QUEUE_DOC, "queue", queue_items)
    metrics.register_gauge(metrics.OVERDUE_ITEMS, metrics.OVERDUE_DOC, "kind", overdue_items)
