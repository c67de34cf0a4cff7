"""Serial allocation under concurrent PROCESSES, each with its own PostgreSQL connection: no code twice,
serials contiguous from 000001 per institution/year/level (seed 004 附件5 七); the bureau's 职业资格证书
numbers (seed 002 附件1 四(六), the portal's own rule) taken at the same time under the same row lock run
their own contiguous serials, and no number is given twice across the kinds."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from certificates.allocation import allocate_code
from certificates.codes import QUALIFICATION_PREFIX
from certificates.models import Certificate, CertificateSerialCounter
from tests.certificates.factories import OccupationFactory
from tests.portal.factories import InstitutionFactory

pytestmark = pytest.mark.django_db(transaction=True)

WORKER = Path(__file__).with_name("allocation_worker.py")


def _database_url():
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def _spawn(prefix, year, level, count, occupation, institution, tag, start_at):
    env = {**os.environ, "DATABASE_URL": _database_url(), "CONN_MAX_AGE": "0", "LOG_LEVEL": "WARNING"}
    args = [",".join(prefix), year, level, count, occupation.pk, institution.pk, tag, start_at]
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs the PostgreSQL test database")


def test_processes_issuing_at_once_get_distinct_contiguous_serials(postgres_only):
    occupation = OccupationFactory(chef=True)
    institution = InstitutionFactory()
    prefix = ("S", "0000", "12", "011001")
    # 8 processes: 5 issue 等级证书 of level 3, one of level 4, two 职业资格证书 of level 3
    processes, per_process = 5, 30
    start_at = time.time() + 3  # every process starts at the same instant, after Django has loaded
    workers = [
        _spawn(prefix, 2026, 3, per_process, occupation, institution, f"p{n}", start_at)
        for n in range(processes)
    ]
    # a second level issued at the same time runs its own serials
    workers.append(_spawn(prefix, 2026, 4, per_process, occupation, institution, "level4", start_at))
    # the bureau's 职业资格证书 at the same instant: its own prefix, its own counter row, the same lock
    qualification_workers = [
        _spawn(QUALIFICATION_PREFIX, 2026, 3, per_process, occupation, institution, f"q{n}", start_at)
        for n in range(2)
    ]
    results = []
    for worker in workers + qualification_workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err.decode()
        results.append(json.loads(out.decode().strip().splitlines()[-1]))
    qualification = [code for result in results[len(workers) :] for code in result]
    results = results[: len(workers)]
    assert len(qualification) == len(set(qualification)) == 2 * per_process
    assert all(code.startswith("Z000012000000263") for code in qualification)
    assert sorted(int(code[-6:]) for code in qualification) == list(range(1, 2 * per_process + 1))
    every = [code for result in results for code in result] + qualification
    assert len(every) == len(set(every))  # no number twice, across the kinds
    assert Certificate.objects.filter(kind=Certificate.Kind.QUALIFICATION).count() == 2 * per_process
    level3 = [code for result in results[:-1] for code in result]
    assert len(level3) == len(set(level3)) == processes * per_process
    serials = sorted(int(code[-6:]) for code in level3)
    assert serials == list(range(1, processes * per_process + 1))  # contiguous, from 000001
    assert all(code.startswith("S000012011001263") for code in level3)
    assert sorted(int(code[-6:]) for code in results[-1]) == list(range(1, per_process + 1))
    assert CertificateSerialCounter.objects.get(kind="S", level=3).last_serial == processes * per_process
    assert CertificateSerialCounter.objects.get(kind="Z", level=3).last_serial == 2 * per_process
    assert Certificate.objects.count() == (processes + 1 + 2) * per_process
    # each process's own codes rise: the lock hands out serials in order
    for result in results:
        assert [int(c[-6:]) for c in result] == sorted(int(c[-6:]) for c in result)


def test_allocate_code_needs_the_certificate_transaction(postgres_only):
    with pytest.raises(RuntimeError):
        allocate_code(("Y", "0000", "12", "000001"), 2026, 4)
