"""Issue 41 item 3: /metrics (Prometheus text format, a bearer token only), the request log line as JSON,
and the worker's heartbeat on /readyz."""

import datetime
import json
import logging
import time

import pytest
import time_machine
from celery import shared_task
from django.core.cache import cache
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from filings.constants import State
from portal import health, metrics
from portal.logs import JsonFormatter
from portal.models import OutboxMail
from tests.filings.factories import in_state

pytestmark = pytest.mark.django_db
TOKEN = "metrics-secret-0123456789"


@shared_task(name="tests.always_fails")
def always_fails():
    raise RuntimeError("boom")


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    cache.clear()
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def samples(response) -> dict:
    """{(name, frozenset(labels)): value} of the exposition."""
    out = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            out[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return out


def test_no_token_no_metrics(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer ").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get(reverse("metrics")).status_code == 404
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_requests_are_timed_by_view(client, token):
    def count():
        found = samples(client.get(reverse("metrics"), **token))
        key = ("portal_http_request_duration_seconds_count", frozenset({("view", "home"), ("method", "GET"), ("status", "2xx")}))  # fmt: skip
        return found.get(key, 0)

    before = count()
    client.get(reverse("home"))
    client.get(reverse("home"))
    assert count() == before + 2
    client.get("/no-such-page/")  # unresolved paths share one label: the URLconf bounds the cardinality
    found = samples(client.get(reverse("metrics"), **token))
    assert any(dict(labels).get("view") == "unresolved" for _name, labels in found)
    assert not any("/no-such-page/" in str(labels) for _name, labels in found)


def test_queues_overdue_outbox_and_task_failures(client, token, settings):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False):
        in_state(State.SUBMITTED)
        in_state(State.SUBMITTED)
        late = in_state(State.SUBMITTED)
        type(late).objects.filter(pk=late.pk).update(due_on=datetime.date(2026, 5, 20))
        OutboxMail.objects.create(key="m1", to="a@example.org", subject="s", body="b")
        settings.CELERY_TASK_ALWAYS_EAGER = True
        always_fails.apply(throw=False)  # the signal a real worker sends too
        always_fails.apply(throw=False)
        found = samples(client.get(reverse("metrics"), **token))
    assert found[("portal_queue_items", frozenset({("queue", "filings.submitted")}))] == 3
    assert found[("portal_overdue_items", frozenset({("kind", "filings.queue")}))] == 1
    assert found[("portal_outbox_backlog", frozenset())] == 1
    assert found[("portal_task_failures_total", frozenset({("task", "tests.always_fails")}))] == 2
    assert found[("portal_task_failures_total", frozenset({("task", "portal.ping")}))] == 0


def test_one_json_line_per_request_with_its_id(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.request")
    client.get(reverse("home"), HTTP_X_REQUEST_ID="req-42")
    (record,) = [r for r in caplog.records if r.name == "portal.request"]
    record.request_id = "req-42"  # the filter's work (portal.middleware.RequestIdFilter) in the handler
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-42" and line["view"] == "home" and line["status"] == 200
    assert line["method"] == "GET" and line["path"] == "/" and line["ms"] >= 0 and line["user"] is None


def test_readyz_reports_the_workers_heartbeat_without_failing_on_it(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    cache.delete(health.WORKER_HEARTBEAT_KEY)
    body = client.get(reverse("readyz")).json()
    assert body["ok"] is True and body["checks"]["worker"] == {"ok": False, "error": "no heartbeat yet"}
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC), tick=False):
        health.beat()
    for seconds, fresh in ((health.WORKER_HEARTBEAT_STALE_SECONDS, True), (health.WORKER_HEARTBEAT_STALE_SECONDS + 1, False)):  # fmt: skip
        moment = datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC) + datetime.timedelta(seconds=seconds)
        with time_machine.travel(moment, tick=False):
            worker = client.get(reverse("readyz")).json()["checks"]["worker"]
        assert worker["ok"] is fresh and worker["age_s"] == seconds
    cache.delete(health.WORKER_HEARTBEAT_KEY)


def test_the_heartbeat_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["portal-worker-heartbeat"]
    assert entry["task"] == "portal.worker_heartbeat"
    assert health.WORKER_HEARTBEAT_STALE_SECONDS > 2 * entry["schedule"]
    assert metrics.LATENCY_BUCKETS == tuple(sorted(metrics.LATENCY_BUCKETS))
    assert time.time() > 0
