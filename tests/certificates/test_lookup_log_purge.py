"""The lookup log is kept CERTIFICATE_LOOKUP_LOG_RETENTION_DAYS (default 180) and purged daily: a line
exactly that old stays, a second older goes; chunks; idempotent; once through a real Celery worker."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from certificates import constants, lookup_log
from certificates.models import LookupEvent
from certificates.schedule import BEAT_SCHEDULE

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def line(at):
    return LookupEvent.objects.create(at=at, kind="api", outcome="found", ip_hash="ab" * 8, code="")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_lines_older_than_the_retention_go_and_the_boundary_stays():
    days = constants.LOOKUP_LOG_RETENTION_DAYS_DEFAULT
    older = line(NOW - timedelta(days=days, seconds=1))
    exactly = line(NOW - timedelta(days=days))
    younger = line(NOW - timedelta(days=days - 1))
    assert lookup_log.purge() == 1
    assert set(LookupEvent.objects.values_list("pk", flat=True)) == {exactly.pk, younger.pk}
    assert not LookupEvent.objects.filter(pk=older.pk).exists()
    assert lookup_log.purge() == 0  # idempotent


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_retention_is_a_setting_and_deletion_goes_in_chunks(settings, monkeypatch):
    settings.CERTIFICATE_LOOKUP_LOG_RETENTION_DAYS = 30
    monkeypatch.setattr(constants, "LOOKUP_LOG_PURGE_CHUNK", 2)
    for hours in range(5):
        line(NOW - timedelta(days=31, hours=hours))
    kept = line(NOW - timedelta(days=29))
    assert lookup_log.purge() == 5
    assert list(LookupEvent.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_purge_runs_daily():
    entry = BEAT_SCHEDULE["certificates-purge-lookup-log"]
    assert entry["task"] == "certificates.purge_lookup_log"
    assert entry["schedule"].hour == {3}


@pytest.mark.celery_worker
def test_the_purge_task_runs_in_a_real_worker(celery_worker):
    from certificates.tasks import purge_lookup_log_task

    old = datetime.now(UTC) - timedelta(days=constants.LOOKUP_LOG_RETENTION_DAYS_DEFAULT + 2)
    line(old)
    recent = line(datetime.now(UTC))
    assert purge_lookup_log_task.delay().get(timeout=60) == 1
    assert list(LookupEvent.objects.values_list("pk", flat=True)) == [recent.pk]
