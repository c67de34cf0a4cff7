"""The centre's dashboard (issue 37, slice 1): figures equal the database counts of the data made here,
each figure's link opens its list showing the same count, a constant number of queries whatever the
data size, and who may see it."""

import datetime
import html
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import dashboards

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)  # a Monday, a working day
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def figures(page: str) -> dict[str, tuple[int, str]]:
    """{key: (count, url)} of every figure on the dashboard."""
    found = re.findall(r'<a href="([^"]+)" data-testid="fig-([\w-]+)"[^>]*>(\d+)</a>', page)
    return {key: (int(n), html.unescape(url)) for url, key, n in found}


def list_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def _world():
    """Filings, plans, reviews and certificates with known clocks."""
    from certification.constants import REPORT_WORKING_DAYS
    from filings.constants import State as FilingState
    from tests.certificates.factories import CertificateFactory
    from tests.certification.factories import CandidateFactory, PlanFactory
    from tests.filings.factories import in_state

    soon = dashboards.soon_day(TODAY)[0]
    for due in (
        TODAY - timedelta(days=3),
        TODAY - timedelta(days=1),
        TODAY,
        soon,
        TODAY + timedelta(days=30),
    ):
        in_state(FilingState.SUBMITTED, due_on=due)
    in_state(FilingState.EVALUATED, due_on=TODAY - timedelta(days=10))
    filed = in_state(FilingState.FILED, filed_on=TODAY)
    # Life after filing: a change request, complaints open and being investigated, one closed.
    from filings.constants_after import ComplaintState
    from tests.filings.factories_after import ChangeRequestFactory, ComplaintFactory

    ChangeRequestFactory(filing=filed)
    ComplaintFactory(filing=None)
    ComplaintFactory(filing=None, state=ComplaintState.INVESTIGATING)
    ComplaintFactory(filing=None, state=ComplaintState.CLOSED)
    # Plans: one report overdue, one due today, one not yet due, one waiting for review (no clock).
    due_today_end = dashboards.last_start_due_by(TODAY, REPORT_WORKING_DAYS)[0]
    plan = PlanFactory(approved=True, end_date=TODAY - timedelta(days=40), submitted_on=TODAY)
    PlanFactory(
        approved=True, end_date=due_today_end, institution=plan.institution, occupation=plan.occupation
    )
    PlanFactory(
        approved=True,
        end_date=TODAY + timedelta(days=20),
        institution=plan.institution,
        occupation=plan.occupation,
    )
    PlanFactory(submitted=True, institution=plan.institution, occupation=plan.occupation)
    # Comprehensive reviews: materials two months old (overdue) and a week old.
    CandidateFactory(plan=plan, level=2, review_materials_on=TODAY - timedelta(days=62))
    CandidateFactory(plan=plan, level=2, review_materials_on=TODAY - timedelta(days=7))
    # Certificates this month: two of level 3, one of level 4; one last month.
    CertificateFactory(issue_date=TODAY, level=3)
    CertificateFactory(issue_date=TODAY, level=3)
    CertificateFactory(issue_date=TODAY, level=4)
    CertificateFactory(issue_date=TODAY - timedelta(days=31), level=3)


def test_the_figures_are_the_database_counts_and_their_lists_show_the_same(client, carol):
    from certification.models import AssessmentPlan, Candidate
    from filings.models import Filing

    _world()
    client.force_login(carol)
    page = client.get(reverse("dashboard")).content.decode()  # the centre's landing is its dashboard
    assert 'data-testid="panel-filings"' in page
    got = figures(page)

    submitted = Filing.objects.filter(state="submitted")
    assert got["filings-submitted"][0] == submitted.count() == 5
    assert got["filings-submitted-overdue"][0] == submitted.filter(due_on__lt=TODAY).count() == 2
    assert got["filings-submitted-today"][0] == submitted.filter(due_on=TODAY).count() == 1
    soon = dashboards.soon_day(TODAY)[0]
    assert got["filings-submitted-soon"][0] == submitted.filter(due_on__range=(TODAY, soon)).count() == 2
    assert got["filings-evaluated-overdue"][0] == 1
    # the plans' institution's filing is in force too (tests.certification.factories.filed_institution)
    assert got["filings-filed"][0] == Filing.objects.filter(state="filed").count() == 2
    assert "filings-filed-overdue" not in got  # no clock once filed

    plans = AssessmentPlan.objects.exclude(state="draft")
    assert got["plans-approved"][0] == plans.filter(state="approved").count() == 3
    assert got["plans-submitted"][0] == 1
    assert got["plans-all"][0] == plans.count() == 4
    assert got["plans-overdue"][0] == 1
    assert got["plans-today"][0] == 1
    assert got["plans-soon"][0] == 1

    assert got["reviews"][0] == Candidate.objects.filter(review_materials_on__isnull=False).count() == 2
    assert got["reviews-overdue"][0] == 1
    assert got["reviews-today"][0] == 0

    assert got["changes-submitted"][0] == 1
    assert got["complaints-open"][0] == 2  # the list's "open": every complaint still being handled
    assert got["complaints-investigating"][0] == 1

    # Every figure's link opens its list, filtered by the list's own filters, with the same count.
    for key, (count, url) in got.items():
        if key.startswith(
            "lookups-"
        ):  # a table of days, not a list (tests/certificates/test_dashboard_lookups.py)
            continue
        assert list_count(client, url) == count, (key, url)


def test_the_charts_json_and_tables(client, carol):
    _world()
    client.force_login(carol)
    data = client.get(reverse("centre_charts")).json()
    assert len(data["months"]) == 12 and data["months"][-1] == "2026-12"
    charts = {c["key"]: c for c in data["charts"]}
    assert set(charts) == {"filings", "plans", "reviews", "certificates", "lookups"}
    levels = {s["name"]: s["data"] for s in charts["certificates"]["series"]}
    assert levels["三级/高级工"][-1] == 2 and levels["三级/高级工"][-2] == 1
    assert levels["四级/中级工"][-1] == 1
    filings = {s["name"]: s["data"] for s in charts["filings"]["series"]}
    from filings.models import Filing

    this_month = Filing.objects.filter(submitted_at__date__gte=datetime.date(2026, 12, 1))
    assert filings["收到"][-1] == this_month.count() >= 7
    assert (
        filings["已备案"][-1] == Filing.objects.filter(filed_on__gte=datetime.date(2026, 12, 1)).count() >= 1
    )
    assert {s["name"]: s["data"] for s in charts["plans"]["series"]}["收到"][-1] == 1
    # The page shows the same numbers in a table under each chart.
    page = client.get(reverse("centre_dashboard")).content.decode()
    table = page[page.index('data-testid="table-certificates"') :]
    table = table[: table.index("</table>")]
    last_row = re.findall(r"<tr><th scope=\"row\"[^>]*>2026-12</th>(.*?)</tr>", table)[0]
    assert re.findall(r">(\d+)</td>", last_row) == ["0", "0", "2", "1", "0"]  # levels 1 to 5


def _bulk(n: int, first: int = 0):
    """``n`` filings and ``n`` certificates behind the dashboard, made in bulk."""
    from certificates.models import Certificate
    from filings.constants import State as FilingState
    from filings.models import Filing
    from tests.certificates.factories import CertificateFactory
    from tests.filings.factories import in_state

    filing = in_state(FilingState.SUBMITTED, due_on=TODAY)
    cert = CertificateFactory(issue_date=TODAY)
    filings, certs = [], []
    for i in range(first, first + n - 1):
        filing.pk = filing.id = None
        filing.due_on = TODAY + timedelta(days=i % 9 - 4)
        filing.submitted_at = NOW - timedelta(days=i % 300)
        filings.append(
            Filing(**{f.attname: getattr(filing, f.attname) for f in Filing._meta.concrete_fields})
        )
        certs.append(
            Certificate(
                **{
                    **{f.attname: getattr(cert, f.attname) for f in Certificate._meta.concrete_fields},
                    "id": None,
                    "serial": 10_000 + i,
                    "code": f"S00001201100126{cert.level}{10_000 + i:06d}",
                    "source_key": f"bulk:{i}",
                    "level": 1 + i % 5,
                    "issue_date": TODAY - timedelta(days=i % 360),
                }
            )
        )
    Filing.objects.bulk_create(filings)
    Certificate.objects.bulk_create(certs)


def _queries(client) -> int:
    client.get(reverse("dashboard"))  # warm the per-process caches (roles, calendar years)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(captured)


def test_a_constant_number_of_queries_with_10_or_1000_items(client, carol, django_assert_num_queries):
    from certificates.models import Certificate
    from filings.models import Filing

    client.force_login(carol)
    _bulk(10)
    small = _queries(client)
    assert small <= 20  # session, user, then one aggregate per figure group and chart series (16 today)
    _bulk(990, first=100)
    assert Filing.objects.count() == 1000 and Certificate.objects.count() == 1000
    # (the same queries with 1,000 filings and certificates as with 10)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(small):
        response = client.get(reverse("dashboard"))
    assert figures(response.content.decode())["filings-submitted"][0] == 1000
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("centre_charts"))
    charts_small = len(captured)
    Filing.objects.filter(pk__in=Filing.objects.values("pk")[:500]).delete()
    with django_assert_num_queries(charts_small):
        client.get(reverse("centre_charts"))


def test_who_sees_the_centre_dashboard(client, alice, carol, dave, erin):
    for user in (carol, dave):
        client.force_login(user)
        assert client.get(reverse("centre_dashboard")).status_code == 200
        assert client.get(reverse("centre_charts")).status_code == 200
    for user in (alice, erin):
        client.force_login(user)
        assert client.get(reverse("centre_dashboard")).status_code == 403
        assert client.get(reverse("centre_charts")).status_code == 403
        assert 'data-testid="panel-filings"' not in client.get(reverse("dashboard")).content.decode()
    # The bureau lands on its own dashboard (tests/portal/test_dashboard_bureau.py) and may open the centre's.
    client.force_login(dave)
    landing = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="panel-waiting"' in landing and 'data-testid="panel-filings"' not in landing
    client.logout()
    assert client.get(reverse("centre_dashboard")).status_code == 302
    assert client.get(reverse("centre_charts")).status_code == 302


def test_a_clock_reaching_into_an_unconfirmed_year_is_marked_provisional(client, carol):
    from portal import workdays

    client.force_login(carol)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="panel-filings-provisional"' not in page
    with time_machine.travel(datetime.datetime(2026, 12, 31, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert workdays.deadline_after(workdays.today(), dashboards.SOON_WORKING_DAYS).provisional
        client.force_login(carol)  # a session of 24 days ago has expired
        page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="panel-filings-provisional"' in page
    assert 'data-testid="panel-plans-provisional"' in page
