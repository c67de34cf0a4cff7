"""A real Celery worker (Redis broker, PostgreSQL) is killed in the middle of a batch; a new worker resumes
it and nobody gets two certificates, and the serials stay contiguous."""

import os
import signal
import time
from pathlib import Path

import pytest

from certificates import issuance
from certificates.models import Certificate, CertificateSerialCounter, IssuanceBatch, IssuanceItem
from tests.certificates.factories import OccupationFactory, batch, candidate, photo_bytes
from tests.portal.factories import InstitutionFactory

pytestmark = pytest.mark.celery_worker

CANDIDATES = 120


def _children(pid: int) -> list[int]:
    """The pool processes of a worker (prefork children would otherwise outlive a SIGKILLed parent)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _kill_worker_and_pool(celery_worker):
    pool = _children(celery_worker.proc.pid)
    celery_worker.kill()
    for pid in pool:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _wait(predicate, timeout, step=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


def test_batch_resumes_after_the_worker_is_killed(celery_worker):
    chef = OccupationFactory(chef=True)
    # A large photo makes each certificate take real work (decode, crop, resize), so the kill lands mid-batch.
    photo = photo_bytes(size=(1500, 2000))
    b = batch(InstitutionFactory(), [candidate(n, chef, photo=photo) for n in range(CANDIDATES)])
    issuance.enqueue(b.pk)

    def issued_some():
        b.refresh_from_db()
        return b.issued_count >= 5

    _wait(issued_some, timeout=90)
    _kill_worker_and_pool(celery_worker)
    time.sleep(1)  # PostgreSQL rolls back the dead worker's open transaction
    b.refresh_from_db()
    at_kill = b.issued_count
    assert 5 <= at_kill < CANDIDATES, "the batch finished before the worker could be killed"
    assert b.status == IssuanceBatch.Status.RUNNING
    assert Certificate.objects.count() == at_kill  # nothing half-issued

    celery_worker.restart()
    issuance.resume_batch(b)  # what the "continue" button and the stale-batch sweep do

    def finished():
        b.refresh_from_db()
        return b.status in (IssuanceBatch.Status.FINISHED, IssuanceBatch.Status.FAILED)

    _wait(finished, timeout=240, step=0.2)
    assert b.status == IssuanceBatch.Status.FINISHED, b.error
    assert b.issued_count == CANDIDATES and b.existing_count == 0 and b.refused_count == 0
    assert Certificate.objects.count() == CANDIDATES
    assert Certificate.objects.values("source_key").distinct().count() == CANDIDATES
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert serials == list(range(1, CANDIDATES + 1))  # no gap where the worker died
    assert CertificateSerialCounter.objects.get().last_serial == CANDIDATES
    assert not b.items.exclude(status=IssuanceItem.Status.ISSUED).exists()
    assert b.items.values("certificate").distinct().count() == CANDIDATES
    assert b.pdf
