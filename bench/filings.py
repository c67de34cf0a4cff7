"""Benchmark of the filing review (issue 4). Run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/filings.py

It creates a throwaway test database (``test_<name>``) and drops it at the end. Figures are printed,
never asserted; each is set against a baseline measured in the same run:

1. The staff queue page with 20 and with BENCH_FILINGS (default 5,000) submitted filings: queries and
   time (the query count must not grow; the page shows 25 rows).
2. One workflow transition (submit -> preliminary review passed, with audit row, notification and
   e-mail notice), against a bare ``Filing.save()`` (the baseline).
3. The institution conditions of one application, evaluated 10,000 times, against building the
   Application data alone.
4. The application PDF (two pages of tables) against the one-page filing notice.
"""

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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

N = int(os.environ.get("BENCH_FILINGS", 5000))


def timed(fn, repeat=3):
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def main() -> int:
    import tempfile

    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-filings-"))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> int:
    import datetime

    from django.utils import timezone

    from eligibility import institution as conditions
    from filings import documents, workflow
    from filings.constants import State
    from filings.models import Filing
    from portal import roles
    from portal.models import Institution
    from tests.filings.factories import in_state
    from tests.portal.factories import UserFactory, credit_code

    print(f"filings bench: PostgreSQL {connection.settings_dict['NAME']}, {N} filings in the big queue")
    centre = UserFactory(role=roles.CENTRE)
    client = Client()
    client.force_login(centre)

    def queue_page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/filings/queue/submitted/")
        assert response.status_code == 200
        return len(queries)

    def add_filings(count, start):
        institutions = Institution.objects.bulk_create(
            Institution(
                name=f"基准测试单位{start + i}",
                credit_code=credit_code(900_000 + start + i),
                contact_name="张",
                contact_phone="1",
                contact_email="a@example.org",
            )
            for i in range(count)
        )
        now = timezone.now()
        Filing.objects.bulk_create(
            Filing(
                institution=inst,
                state=State.SUBMITTED,
                name=inst.name,
                credit_code=inst.credit_code,
                submitted_at=now,
                due_on=datetime.date(2026, 3, 1) + datetime.timedelta(days=i % 60),
                assignee=centre,
            )
            for i, inst in enumerate(institutions)
        )

    add_filings(20, 0)
    queue_page()  # warm the calendar cache and templates
    t_small, q_small = timed(queue_page)
    add_filings(N - 20, 20)
    t_big, q_big = timed(queue_page)
    print(
        f"1. queue page: {q_small} queries / {t_small * 1000:.0f} ms with 20 filings; "
        f"{q_big} queries / {t_big * 1000:.0f} ms with {N}; query ratio {q_big / q_small:.2f}, "
        f"time ratio {t_big / t_small:.1f}x"
    )

    applicant = UserFactory(applicant=True)
    drafts = [in_state(State.DRAFT, institution=applicant.institution) for _ in range(6)]
    base, _ = timed(lambda: drafts[0].save(), repeat=5)
    timings = []
    for filing in drafts[1:]:
        start = time.perf_counter()
        workflow.submit(filing, applicant)
        workflow.start_evaluation(filing, centre)
        timings.append((time.perf_counter() - start) / 2)
    t_step = min(timings)
    print(
        f"2. one transition (audit, notification, e-mail notice): {t_step * 1000:.1f} ms; "
        f"baseline bare save {base * 1000:.1f} ms; ratio {t_step / base:.1f}x"
    )

    filing = drafts[1]
    app = workflow.application_data(filing)
    t_build, _ = timed(
        lambda: [conditions.Application(app.kind, app.route, app.occupations, app.on) for _ in range(10_000)]
    )
    t_eval, _ = timed(lambda: [conditions.evaluate(app) for _ in range(10_000)])
    print(
        f"3. institution conditions: {t_eval / 10_000 * 1e6:.1f} us per application; "
        f"baseline building the data {t_build / 10_000 * 1e6:.2f} us; ratio {t_eval / t_build:.1f}x"
    )

    workflow.record_filing(
        in_state(State.AWAITING_RECORD, institution=applicant.institution, route="S"), centre
    )
    filed = Filing.objects.filter(state=State.FILED).first()
    documents.notice_pdf(filed)  # fonts loaded once
    t_notice, (notice, _html) = timed(lambda: documents.notice_pdf(filed))
    t_app, (application, _html) = timed(lambda: documents.application_pdf(filed))
    print(
        f"4. application PDF {t_app * 1000:.0f} ms ({len(application) // 1024} KB); "
        f"baseline filing notice {t_notice * 1000:.0f} ms ({len(notice) // 1024} KB); ratio {t_app / t_notice:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
