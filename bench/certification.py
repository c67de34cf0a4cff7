"""Benchmark of a 2,000-candidate assessment plan (issue 6 "Speed"). Run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/certification.py

It creates a throwaway test database (``test_<name>``), so any reachable PostgreSQL works, and drops it
at the end. Figures are printed, never asserted:

1. Roster upload and check of 2,000 rows (XLSX): ``imports.import_roster`` = sniff, parse, Annex 1 check
   per row, bulk insert (target <= 3 s). Baseline: openpyxl reading the same file, no checks.
2. Score XLSX of 2,000 rows: ``imports.import_scores`` = parse, validate, bulk update (target <= 3 s).
   Baseline: openpyxl reading the same file.
3. The plan page: queries and time with 20 and with 2,000 candidates (the query count must not grow).
4. The exam day (issue 44): theory rooms of 100 seats for every candidate, ``sessions.allocate``, then the
   plan's 准考证 batch, ``tickets.plan_pdf`` (one document rendered in parts of tickets.TICKET_PART_PAGES and
   joined; goal < 30 ms per ticket): wall-clock and this process's CPU time per ticket for the N candidates
   (BENCH_CANDIDATES, 2,000 by default), beside the same for a batch of the first 100 seats in the same run
   (the per-ticket cost must not grow with the batch), and the process's peak resident memory while the
   batch renders (VmHWM, reset before it; the process's own baseline, Django, fonts and the seats, in it).
"""

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

N = int(os.environ.get("BENCH_CANDIDATES", 2000))
TARGET = 3.0


def timed(fn, repeat=3):
    best = None
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def openpyxl_read(data: bytes) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return rows


def main() -> int:
    import tempfile

    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-certification-"))
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> int:
    from certification import imports
    from certification.constants import State
    from certification.models import AssessmentPlan
    from tests.certification.factories import (
        PlanFactory,
        filed_institution,
        person_id,
        roster_xlsx,
        scores_xlsx,
    )
    from tests.portal.factories import UserFactory

    user = UserFactory(applicant=True)
    filed_institution(user.institution)
    plan = PlanFactory(
        institution=user.institution,
        staffed=True,
        levels=[4],
        start_date=__import__("datetime").date(2026, 6, 1),
    )

    rows = [(f"考生{i}", person_id(10_000 + i), 4, 6) for i in range(N)]
    roster = roster_xlsx(rows)
    print(f"certification bench: {N} candidates, PostgreSQL {connection.settings_dict['NAME']}")

    base, count = timed(lambda: openpyxl_read(roster))
    t_roster, result = timed(lambda: imports.import_roster(plan, SimpleUploadedFile("r.xlsx", roster), user))
    assert result.ok and result.count == N, result.errors[:3]
    print(
        f"1. roster upload + check: {t_roster:.2f} s for {N} rows (target <= {TARGET:.0f} s); "
        f"baseline openpyxl read {base:.2f} s; ratio {t_roster / base:.1f}x"
    )

    AssessmentPlan.objects.filter(pk=plan.pk).update(state=State.APPROVED)
    plan.refresh_from_db()
    scores = scores_xlsx([(person_id(10_000 + i), 60 + i % 40, 70) for i in range(N)])
    base, _ = timed(lambda: openpyxl_read(scores))
    t_scores, result = timed(lambda: imports.import_scores(plan, SimpleUploadedFile("s.xlsx", scores), user))
    assert result.ok and result.count == N, result.errors[:3]
    print(
        f"2. score XLSX: {t_scores:.2f} s for {N} rows (target <= {TARGET:.0f} s); "
        f"baseline openpyxl read {base:.2f} s; ratio {t_scores / base:.1f}x"
    )

    small = PlanFactory(institution=user.institution, approved=True, levels=[4])
    from tests.certification.factories import CandidateFactory

    CandidateFactory.create_batch(20, plan=small, level=4, theory_score=80, practical_score=80)
    client = Client()
    client.force_login(user)

    def page(p):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/certification/plans/{p.pk}/")
        assert response.status_code == 200
        return len(queries)

    page(small)  # warm caches (calendar year, templates)
    t_small, q_small = timed(lambda: page(small))
    t_big, q_big = timed(lambda: page(plan))
    print(
        f"3. plan page: {q_small} queries / {t_small * 1000:.0f} ms with 20 candidates; "
        f"{q_big} queries / {t_big * 1000:.0f} ms with {N} (page of 100); "
        f"query ratio {q_big / q_small:.2f}, time ratio {t_big / t_small:.1f}x"
    )
    exam_day(plan, user)
    return 0


ROOM_SEATS = 100
SMALL_BATCH = 100  # section 4's baseline: the per-ticket cost of a small batch, printed beside the plan's


def exam_day(plan, user) -> None:
    """Section 4: rooms at one time, a supervisor of its own each (nobody in two rooms at once)."""
    import datetime

    from certification import sessions, tickets
    from certification.constants import StaffRole
    from certification.models import ExamSession, PlanStaff
    from tests.certification.factories import person_id

    starts = datetime.datetime(2026, 6, 10, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    for room in range(-(-N // ROOM_SEATS)):
        supervisor = PlanStaff.objects.create(
            plan=plan, role=StaffRole.SUPERVISOR, name=f"督导{room}", id_number=person_id(90_000 + room)
        )
        sessions.create_session(
            plan, user, kind=ExamSession.Kind.THEORY, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
            place="考点", room=f"{101 + room}", capacity=ROOM_SEATS, supervisor=supervisor,
        )  # fmt: skip
    start = time.perf_counter()
    outcome = sessions.allocate(plan, user)
    t_allocate = time.perf_counter() - start
    assert outcome.seated == N and not outcome.unseated
    seats = tickets.plan_seats(plan)
    tickets.render(seats[:1])  # fonts loaded once per process
    small = min(SMALL_BATCH, N)
    start, cpu = time.perf_counter(), time.process_time()
    tickets.render(seats[:small])
    t_small, cpu_small = time.perf_counter() - start, time.process_time() - cpu
    rss_before = _memory("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM back to the current resident size
    except OSError:
        pass
    start, cpu = time.perf_counter(), time.process_time()
    data, _html = tickets.plan_pdf(plan)
    t_print, t_cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _memory("VmHWM")
    print(
        f"4. exam day: allocate {N} seats in {t_allocate:.2f} s ({t_allocate / N * 1000:.1f} ms per candidate); "
        f"准考证 batch of {N} tickets in one document (parts of {tickets.TICKET_PART_PAGES}) {t_print:.2f} s = {t_print / N * 1000:.1f} ms per ticket "
        f"(goal < 30 ms; CPU time of this process {t_cpu / N * 1000:.1f} ms per ticket, what a busy machine's "
        f"load does not add), {len(data) / 1024:.0f} KB; a batch of {small} in the same run "
        f"{t_small / small * 1000:.1f} ms per ticket, {cpu_small / small * 1000:.1f} ms CPU per ticket "
        f"(CPU ratio {t_cpu / N / (cpu_small / small):.2f}); peak resident memory during the batch "
        f"{peak:,.0f} MB ({rss_before:,.0f} MB before it)"
    )


def _memory(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in MB; 0 where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


if __name__ == "__main__":
    sys.exit(main())
