"""Prometheus metrics for operations (issue 41 item 3): ``/metrics`` in the text exposition format.

- ``portal_http_request_duration_seconds{view,method,status}``: every request, timed by the request-id
  middleware (portal.middleware.RequestIdMiddleware), labelled by the URL pattern's name (never the raw
  path: its cardinality is bounded by the URLconf).
- ``portal_queue_items{queue}`` and ``portal_overdue_items{kind}``: what waits for staff and what is past its
  deadline, read from the database when scraped; each domain app registers its own (``register_gauge`` in
  its AppConfig.ready), so this module imports none of them (the layers run portal <- apps).
- ``portal_outbox_backlog`` / ``portal_outbox_failed``: mails not yet sent / given up (portal.outbox).
- ``portal_jobs{status}``: background jobs queued and running (portal.jobs).
- ``portal_task_failures_total{task}``: Celery tasks that raised, counted in the shared cache (Redis in
  production) by the worker that ran them, so one scrape of any web host sees every worker's failures.

With several gunicorn workers per host set ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, cleared at
start): the request histograms of all processes are then summed (prometheus-client's multiprocess mode).
The endpoint answers only with ``Authorization: Bearer <METRICS_TOKEN>``; without a token configured it
does not exist (404): queue sizes are internal figures."""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import REGISTRY, CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# Buckets in seconds: the public verification page answers in milliseconds, a signed PDF in a tenth of a
# second, a large page in about a second.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
REQUEST_SECONDS = Histogram(
    "portal_http_request_duration_seconds",
    "Time to answer a request, by URL pattern name, method and status class.",
    ["view", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
TASK_FAILURES_KEY = "metrics:task-failures:{task}"
TASK_FAILURES_KEEP_SECONDS = None  # a counter: kept until the cache is flushed (Prometheus sees the reset)

_GAUGES: dict[str, tuple[str, str, list]] = {}


def observe_request(request, response, seconds: float) -> None:
    match = getattr(request, "resolver_match", None)
    view = (match.view_name if match else "") or "unresolved"
    REQUEST_SECONDS.labels(view, request.method, f"{response.status_code // 100}xx").observe(seconds)


def register_gauge(name: str, documentation: str, label: str, collect) -> None:
    """``collect() -> {label value: number}``, called at each scrape (keep it to a few indexed counts);
    several apps may feed one gauge (each its own label values, prefixed with the app's name)."""
    entry = _GAUGES.setdefault(name, (documentation, label, []))
    if collect not in entry[2]:
        entry[2].append(collect)


def count_task_failure(task_name: str) -> None:
    """Called by the worker when a task raised (portal.tasks connects Celery's task_failure signal)."""
    key = TASK_FAILURES_KEY.format(task=task_name)
    cache.add(key, 0, timeout=TASK_FAILURES_KEEP_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=TASK_FAILURES_KEEP_SECONDS)


def task_failures() -> dict[str, int]:
    from celery import current_app

    names = sorted(name for name in current_app.tasks if not name.startswith("celery."))
    found = cache.get_many([TASK_FAILURES_KEY.format(task=name) for name in names])
    return {name: int(found.get(TASK_FAILURES_KEY.format(task=name)) or 0) for name in names}


class PortalCollector:
    """The figures read when scraped (database and cache), shared by every host."""

    def collect(self):
        from .models import Job, OutboxMail

        unsent = OutboxMail.objects.filter(sent_at__isnull=True)
        yield _gauge(
            "portal_outbox_backlog",
            "Mails waiting to be sent.",
            unsent.filter(failed_at__isnull=True).count(),
        )
        yield _gauge("portal_outbox_failed", "Mails given up after their retries.", unsent.filter(failed_at__isnull=False).count())  # fmt: skip
        jobs = GaugeMetricFamily("portal_jobs", "Background jobs not over, by status.", labels=["status"])
        for status in (Job.Status.QUEUED, Job.Status.RUNNING):
            jobs.add_metric([status], Job.objects.filter(status=status).count())
        yield jobs
        failures = CounterMetricFamily(
            "portal_task_failures", "Celery tasks that raised, by task.", labels=["task"]
        )
        for name, count in task_failures().items():
            failures.add_metric([name], count)
        yield failures
        for name, (documentation, label, collects) in sorted(_GAUGES.items()):
            family = GaugeMetricFamily(name, documentation, labels=[label])
            for collect in collects:
                for value, number in sorted(collect().items()):
                    family.add_metric([str(value)], number)
            yield family


QUEUE_ITEMS = "portal_queue_items"
QUEUE_DOC = "Items waiting for staff, by queue."
OVERDUE_ITEMS = "portal_overdue_items"
OVERDUE_DOC = "Items past their deadline, by kind."


def _gauge(name, documentation, value):
    return GaugeMetricFamily(name, documentation, value=value)


def registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
        combined.register(PortalCollector())
        return combined
    own = CollectorRegistry()
    own.register(_Default())
    own.register(PortalCollector())
    return own


class _Default:
    """This process's own metrics (the request histogram, the process and Python collectors)."""

    def collect(self):
        yield from REGISTRY.collect()


@never_cache
def metrics_view(request):
    token = getattr(settings, "METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
