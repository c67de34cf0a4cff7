"""An institution's dashboard (issue 37, slice 2): its own deadlines (a plan submitted >= 5 working days
before it starts, the results reported within 5 working days of its end, the renewal window before
expiry), its plans by state, its certificates per month and pass rates per occupation and level. Only
its own institution's rows count; figures equal the database counts and their lists show the same;
a constant number of queries whatever the data size."""

import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from portal import dashboards, workdays
from tests.portal.test_dashboard_centre import _queries, figures

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)  # a Monday, a working day
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def list_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    if "page" in response.context:
        return response.context["page"].paginator.count
    return len(list(response.context["rows"]))  # filings:after_mine, not paged


def _plans(institution, occupation=None):
    """Plans of ``institution`` with known clocks: drafts to submit, approved plans to report."""
    from certification import rules
    from certification.constants import REPORT_WORKING_DAYS, State
    from tests.certification.factories import PlanFactory

    first = rules.first_allowed_start(TODAY).date  # a plan starting then must be submitted today
    kw = {"institution": institution, **({"occupation": occupation} if occupation else {})}
    PlanFactory(start_date=first - timedelta(days=1), end_date=first + timedelta(days=2), **kw)  # overdue
    PlanFactory(start_date=first, end_date=first + timedelta(days=2), **kw)  # due today
    PlanFactory(
        state=State.RETURNED, start_date=first + timedelta(days=40), end_date=first + timedelta(days=41), **kw
    )
    due_today_end = dashboards.last_start_due_by(TODAY, REPORT_WORKING_DAYS)[0]
    PlanFactory(approved=True, end_date=TODAY - timedelta(days=40), **kw)  # report overdue
    PlanFactory(approved=True, end_date=due_today_end, start_date=due_today_end, **kw)  # report due today
    PlanFactory(
        approved=True, start_date=TODAY + timedelta(days=20), end_date=TODAY + timedelta(days=20), **kw
    )
    PlanFactory(submitted=True, **kw)


def _world(alice, bob):
    from certification.constants import State
    from tests.certificates.factories import CertificateFactory
    from tests.certification.factories import CandidateFactory, PlanFactory
    from tests.filings.factories_after import FiledFilingFactory

    mine, theirs = alice.institution, bob.institution
    _plans(mine)
    # Filed: one in its renewal window (expires in 30 days), one not yet (expires in 90 days).
    FiledFilingFactory(institution=mine, valid_until=TODAY + timedelta(days=30))
    FiledFilingFactory(institution=mine, valid_until=TODAY + timedelta(days=90))
    # A finished plan: 3 candidates at level 4, 2 certified.
    plan = PlanFactory(uploaded=True, institution=mine)
    for _ in range(3):
        CandidateFactory(plan=plan, level=4)
    for days in (0, 0):
        CertificateFactory(
            institution=mine, occupation=plan.occupation, level=4, issue_date=TODAY - timedelta(days=days)
        )
    CertificateFactory(
        institution=mine, occupation=plan.occupation, level=3, issue_date=TODAY - timedelta(days=10)
    )
    # Another institution's rows never count.
    _plans(theirs)
    FiledFilingFactory(institution=theirs, valid_until=TODAY + timedelta(days=10))
    other = PlanFactory(uploaded=True, institution=theirs, occupation=plan.occupation)
    CandidateFactory(plan=other, level=4)
    CertificateFactory(institution=theirs, occupation=plan.occupation, level=4, issue_date=TODAY)
    return plan, State


def test_the_figures_are_its_own_database_counts_and_their_lists_show_the_same(client, alice, bob):
    from certification.models import AssessmentPlan
    from filings.models import Filing

    _world(alice, bob)
    client.force_login(alice)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="panel-deadlines"' in page
    got = figures(page)
    mine = AssessmentPlan.objects.filter(institution=alice.institution)
    assert got["mine-submit"][0] == mine.filter(state__in=["draft", "returned"]).count() == 3
    assert got["mine-submit-overdue"][0] == 1
    assert got["mine-submit-today"][0] == 1
    assert got["mine-submit-soon"][0] == 1  # today's is also within 2 working days
    assert got["mine-report"][0] == mine.filter(state__in=["approved", "in_progress"]).count() == 3
    assert got["mine-report-overdue"][0] == 1
    assert got["mine-report-today"][0] == 1
    window = Filing.objects.filter(
        institution=alice.institution, state="filed", valid_until__range=(TODAY, TODAY + timedelta(days=60))
    )
    assert got["mine-renewal"][0] == window.count() == 1
    for state in ("draft", "returned", "approved", "submitted", "uploaded"):
        assert got[f"mine-plans-{state}"][0] == mine.filter(state=state).count()
    assert got["mine-plans-approved"][0] == 3
    # Every figure's link opens its list (the institution's own), with the same count.
    for key, (count, url) in got.items():
        assert list_count(client, url) == count, (key, url)


def test_its_charts_count_only_its_own_certificates_and_candidates(client, alice, bob):
    from certificates.constants import LEVEL_NAMES

    plan, _state = _world(alice, bob)
    client.force_login(alice)
    data = client.get(reverse("institution_charts")).json()
    charts = {c["key"]: c for c in data["charts"]}
    certs = {s["name"]: s["data"] for s in charts["mine-certificates"]["series"]}
    assert certs[str(LEVEL_NAMES[4])][-1] == 2 and certs[str(LEVEL_NAMES[3])][-2] == 1
    assert sum(sum(v) for v in certs.values()) == 3  # not bob's
    rates = charts["pass-rates"]
    occupation = f"{plan.occupation.code} {plan.occupation.name}"
    assert sorted(rates["months"]) == sorted(f"{occupation} · {LEVEL_NAMES[n]}" for n in (3, 4))
    rows = {r["month"]: r["values"] for r in rates["rows"]}
    assert rows[f"{occupation} · {LEVEL_NAMES[4]}"] == [3, 2, 67]  # 2 of 3: 67 %
    assert rows[f"{occupation} · {LEVEL_NAMES[3]}"] == [0, 1, 0]  # a certificate without candidates here
    page = client.get(reverse("institution_dashboard")).content.decode()
    table = page.split('data-testid="table-pass-rates"')[1].split("</table>")[0]
    assert ">67</td>" in table and ">3</td>" in table


def test_bob_sees_none_of_alices_rows(client, alice, bob):
    _world(alice, bob)
    client.force_login(bob)
    got = figures(client.get(reverse("dashboard")).content.decode())
    assert got["mine-renewal"][0] == 1 and got["mine-submit"][0] == 3 and got["mine-plans-uploaded"][0] == 1


def _bulk(institution, n: int):
    from certificates.models import Certificate
    from certification.models import AssessmentPlan
    from tests.certificates.factories import CertificateFactory
    from tests.certification.factories import PlanFactory

    plan = PlanFactory(
        institution=institution, start_date=TODAY + timedelta(days=10), end_date=TODAY + timedelta(days=11)
    )
    cert = CertificateFactory(institution=institution, issue_date=TODAY)
    plans, certs = [], []
    for i in range(n - 1):
        fields = {f.attname: getattr(plan, f.attname) for f in AssessmentPlan._meta.concrete_fields}
        fields.update(
            id=None, start_date=TODAY + timedelta(days=i % 30), end_date=TODAY + timedelta(days=i % 30 + 1)
        )
        plans.append(AssessmentPlan(**fields))
        certs.append(
            Certificate(
                **{
                    **{f.attname: getattr(cert, f.attname) for f in Certificate._meta.concrete_fields},
                    "id": None,
                    "serial": 20_000 + i,
                    "code": f"S00001201100126{cert.level}{20_000 + i:06d}",
                    "source_key": f"bulk-i:{i}",
                    "level": 1 + i % 5,
                    "issue_date": TODAY - timedelta(days=i % 360),
                }
            )
        )
    AssessmentPlan.objects.bulk_create(plans)
    Certificate.objects.bulk_create(certs)


def test_a_constant_number_of_queries_with_10_or_1000_items(client, alice, django_assert_num_queries):
    from certificates.models import Certificate
    from certification.models import AssessmentPlan

    client.force_login(alice)
    _bulk(alice.institution, 10)
    small = _queries(client)
    assert small <= 20
    Certificate.objects.all().delete()
    AssessmentPlan.objects.all().delete()
    _bulk(alice.institution, 1000)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(small):
        response = client.get(reverse("dashboard"))
    assert figures(response.content.decode())["mine-plans-draft"][0] == 1000


def test_who_sees_the_institution_dashboard(client, alice, carol, dave, erin):
    client.force_login(alice)
    assert client.get(reverse("institution_dashboard")).status_code == 200
    assert client.get(reverse("institution_charts")).status_code == 200
    for user in (carol, dave, erin):
        client.force_login(user)
        assert client.get(reverse("institution_dashboard")).status_code == 403
        assert client.get(reverse("institution_charts")).status_code == 403
        assert 'data-testid="panel-deadlines"' not in client.get(reverse("dashboard")).content.decode()
    client.logout()
    assert client.get(reverse("institution_dashboard")).status_code == 302


def test_the_renewal_window_uses_the_filings_rule():
    from filings.after_filing import in_renewal_window
    from filings.constants_after import RENEWAL_WINDOW_DAYS
    from tests.filings.factories_after import FiledFilingFactory

    for days, inside in (
        (0, True),
        (RENEWAL_WINDOW_DAYS, True),
        (RENEWAL_WINDOW_DAYS + 1, False),
        (-1, False),
    ):
        filing = FiledFilingFactory(valid_until=TODAY + timedelta(days=days))
        from filings.after_filing import in_renewal_window_q
        from filings.models import Filing

        assert Filing.objects.filter(in_renewal_window_q(TODAY), pk=filing.pk).exists() is inside
        assert in_renewal_window(filing, TODAY) is inside or days < 0
    assert workdays.today() == TODAY
