"""Upward reporting (seed 004 四(四)3 / 附件7): an institution submits its month's results summary by the
month's last day (a reminder window before, overdue after); the centre sees the city total of the
submitted summaries, who has not submitted, and exports the province table."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from certification import monthly
from certification.constants import MONTHLY_SUMMARY_REMINDER_DAYS, MonthlyState, Verification
from certification.models import MonthlySummary
from portal.models import AuditEvent
from tests.certification.factories import (
    CandidateFactory,
    MonthlySummaryFactory,
    PlanFactory,
    filed_institution,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
JUNE = datetime.date(2026, 6, 1)
JUNE_30 = datetime.date(2026, 6, 30)


def at(day: datetime.date, hour=10):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


def _june_results(institution, passed=2):
    """``passed`` candidates verified passing at level 4 in June 2026 (plan verified on 2026-06-09)."""
    plan = PlanFactory(institution=institution, verified=True, levels=[4])
    CandidateFactory.create_batch(passed, plan=plan, level=4, verification=Verification.ACCEPTED, passed=True)
    return plan


# -- the clock ---------------------------------------------------------------------------------------


def test_seed_004_4_4_3_due_on_the_last_day_of_the_month():
    assert monthly.due_date(JUNE) == JUNE_30
    assert monthly.due_date(datetime.date(2026, 2, 1)) == datetime.date(2026, 2, 28)
    assert monthly.due_date(datetime.date(2028, 2, 1)) == datetime.date(2028, 2, 29)
    assert monthly.due_date(datetime.date(2026, 12, 1)) == datetime.date(2026, 12, 31)


def test_seed_004_4_4_3_last_day_of_month_on_time_the_day_after_overdue():
    assert monthly.state_of(JUNE, JUNE_30) == MonthlyState.REMINDER
    assert monthly.state_of(JUNE, datetime.date(2026, 7, 1)) == MonthlyState.OVERDUE
    assert monthly.state_of(JUNE, datetime.date(2026, 7, 1), submitted_on=JUNE_30) == MonthlyState.SUBMITTED
    late = datetime.date(2026, 7, 1)
    assert monthly.state_of(JUNE, late, submitted_on=late) == MonthlyState.LATE


def test_seed_004_4_4_3_reminder_window_edges():
    first = JUNE_30 - datetime.timedelta(days=MONTHLY_SUMMARY_REMINDER_DAYS)
    assert monthly.reminder_from(JUNE) == first
    assert monthly.state_of(JUNE, first - datetime.timedelta(days=1)) == MonthlyState.OPEN
    assert monthly.state_of(JUNE, first) == MonthlyState.REMINDER
    assert monthly.state_of(JUNE, JUNE_30) == MonthlyState.REMINDER


@pytest.mark.parametrize(
    ("day", "state"),
    [(JUNE_30, MonthlyState.SUBMITTED), (datetime.date(2026, 7, 1), MonthlyState.LATE)],
)
def test_seed_004_4_4_3_submitted_on_the_last_day_is_on_time_the_day_after_late(alice, day, state):
    institution = filed_institution(alice.institution)
    with at(day, hour=23):
        report = monthly.submit(institution, JUNE, alice, reporter="王填报", reported_on=day)
    assert report.submitted_on == day
    assert monthly.state_of(JUNE, day, report.submitted_on) == state
    event = AuditEvent.objects.get(event="certification_monthly_summary_submitted")
    assert event.to_state == state and event.actor == alice


# -- submission ----------------------------------------------------------------------------------------


def test_submission_freezes_the_counts_of_the_month(alice):
    institution = filed_institution(alice.institution)
    plan = _june_results(institution, passed=2)
    with at(JUNE_30):
        report = monthly.submit(institution, JUNE, alice, reporter="王填报", reported_on=JUNE_30)
    assert report.counts["total"] == 2
    assert monthly.thaw(report.counts).rows[0].counts == {4: 2}
    # Later results do not change what was reported.
    CandidateFactory(plan=plan, level=4, verification=Verification.ACCEPTED, passed=True)
    report.refresh_from_db()
    assert monthly.thaw(report.counts).total == 2


def test_once_per_month_and_only_for_its_own_institution(alice, bob):
    institution = filed_institution(alice.institution)
    filed_institution(bob.institution)
    with at(JUNE_30):
        monthly.submit(institution, JUNE, alice, reporter="王填报", reported_on=JUNE_30)
        with pytest.raises(monthly.MonthlyError):
            monthly.submit(institution, JUNE, alice, reporter="王填报", reported_on=JUNE_30)
        with pytest.raises(monthly.MonthlyError):
            monthly.submit(institution, JUNE, bob, reporter="李", reported_on=JUNE_30)
        with pytest.raises(monthly.MonthlyError):  # a month still to come
            monthly.submit(institution, datetime.date(2026, 7, 1), alice, reporter="王", reported_on=JUNE_30)
    assert MonthlySummary.objects.count() == 1


def test_a_month_without_a_filing_in_force_is_not_reported(alice):
    institution = filed_institution(
        alice.institution, valid_from=datetime.date(2026, 5, 10), valid_until=datetime.date(2026, 6, 2)
    )
    with at(datetime.date(2026, 8, 15)):
        months = [row.month for row in monthly.institution_months(institution, datetime.date(2026, 8, 15))]
        assert months == [JUNE, datetime.date(2026, 5, 1)]
        with pytest.raises(monthly.MonthlyError):
            monthly.submit(institution, datetime.date(2026, 7, 1), alice, reporter="王", reported_on=JUNE_30)


# -- the institution's pages -----------------------------------------------------------------------------


def test_the_institution_submits_its_month_through_the_page(client, alice):
    institution = filed_institution(alice.institution)
    _june_results(institution, passed=3)
    client.force_login(alice)
    url = reverse("certification:monthly_month", args=[2026, 6])
    with at(JUNE_30):
        page = client.get(url).content.decode()
        assert institution.name in page and "中式烹调师" in page and "2026-06-30" in page
        assert 'data-testid="monthly-form"' in page and "csrfmiddlewaretoken" in page
        response = client.post(url, {"reporter": "王填报", "reported_on": "2026-06-30"})
        assert response.status_code == 302
        report = MonthlySummary.objects.get(institution=institution, month=JUNE)
        assert (report.reporter, report.counts["total"], report.submitted_by) == ("王填报", 3, alice)
        page = client.get(url).content.decode()
        assert 'data-testid="monthly-report"' in page and 'data-testid="monthly-form"' not in page
        listing = client.get(reverse("certification:monthly")).content.decode()
    row = listing.split('data-testid="monthly-2026-06"')[1].split("</tr>")[0]
    assert "已报送" in row and "王填报" in row


def test_a_date_after_today_is_refused(client, alice):
    filed_institution(alice.institution)
    client.force_login(alice)
    with at(JUNE_30):
        response = client.post(
            reverse("certification:monthly_month", args=[2026, 6]),
            {"reporter": "王", "reported_on": "2026-07-02"},
        )
    assert response.status_code == 200 and not MonthlySummary.objects.exists()


def test_the_list_marks_due_reminder_and_overdue_months(client, alice):
    filed_institution(alice.institution)
    client.force_login(alice)
    with at(JUNE_30):
        rows = client.get(reverse("certification:monthly")).context["rows"]
    states = {row.month: row.state for row in rows}
    assert states[JUNE] == MonthlyState.REMINDER
    assert states[datetime.date(2026, 5, 1)] == MonthlyState.OVERDUE
    with at(datetime.date(2026, 6, 10)):
        response = client.get(reverse("certification:monthly"), {"state": "overdue"})
    assert [row.month for row in response.context["rows"]][0] == datetime.date(2026, 5, 1)
    assert JUNE not in [row.month for row in response.context["rows"]]


@pytest.mark.parametrize("month", [(2026, 13), (2026, 7), (1999, 1)])
def test_months_out_of_reach_are_404(client, alice, month):
    filed_institution(alice.institution)
    client.force_login(alice)
    with at(JUNE_30):
        assert client.get(reverse("certification:monthly_month", args=month)).status_code == 404


def test_the_dashboard_shows_the_monthly_deadline(client, alice):
    from tests.portal.test_dashboard_centre import figures

    filed_institution(alice.institution, valid_from=datetime.date(2026, 4, 1))
    client.force_login(alice)
    with at(JUNE_30):
        got = figures(client.get(reverse("dashboard")).content.decode())
        assert got["mine-monthly"][0] == 3  # April and May overdue, June due today
        assert got["mine-monthly-overdue"][0] == 2
        assert got["mine-monthly-today"][0] == 1
        assert got["mine-monthly-soon"][0] == 1
        for key in ("mine-monthly", "mine-monthly-overdue", "mine-monthly-today", "mine-monthly-soon"):
            count, url = got[key]
            assert len(client.get(url).context["rows"]) == count, key


# -- the centre -------------------------------------------------------------------------------------------


def test_the_city_total_adds_the_submitted_summaries_and_names_who_has_not(client, alice, bob, carol):
    from tests.portal.factories import InstitutionFactory

    mine = filed_institution(alice.institution)
    theirs = filed_institution(bob.institution)
    silent = filed_institution(InstitutionFactory(name="未报送技工学校"))
    _june_results(mine, passed=2)
    _june_results(theirs, passed=1)
    with at(JUNE_30):
        monthly.submit(mine, JUNE, alice, reporter="王", reported_on=JUNE_30)
    with at(datetime.date(2026, 7, 1)):
        monthly.submit(theirs, JUNE, bob, reporter="李", reported_on=JUNE_30)
    client.force_login(carol)
    with at(datetime.date(2026, 7, 2)):
        response = client.get(reverse("certification:monthly_city"), {"month": "2026-06"})
    total = response.context["total"]
    assert total.total == 3 and total.rows[0].counts == {4: 3}
    states = {row.institution.pk: row.state for row in response.context["rows"]}
    assert states == {
        mine.pk: MonthlyState.SUBMITTED,
        theirs.pk: MonthlyState.LATE,
        silent.pk: MonthlyState.OVERDUE,
    }
    page = response.content.decode()
    row = page.split(f'data-testid="city-institution-{silent.pk}"')[1].split("</tr>")[0]
    assert "已逾期" in row
    assert response.context["missing"] == 1


def test_before_month_end_the_missing_are_not_yet_overdue(client, alice, carol):
    filed_institution(alice.institution)
    client.force_login(carol)
    with at(JUNE_30):
        rows = client.get(reverse("certification:monthly_city"), {"month": "2026-06"}).context["rows"]
    assert [row.state for row in rows] == [MonthlyState.REMINDER]


def test_the_province_table_xlsx_reads_back(client, alice, carol):
    from openpyxl import load_workbook

    institution = filed_institution(alice.institution)
    MonthlySummaryFactory(institution=institution, submitted_by=alice)
    client.force_login(carol)
    with at(datetime.date(2026, 7, 2)):
        response = client.get(reverse("certification:monthly_city"), {"month": "2026-06", "format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert "2026-06" in rows[0][0]
    assert rows[1][0].startswith("填报单位")
    assert rows[2][2:7] == (
        "初级工（五级）",
        "中级工（四级）",
        "高级工（三级）",
        "技师（二级）",
        "高级技师（一级）",
    )
    assert rows[3][0].endswith("中式烹调师") and rows[3][2:] == (0, 2, 0, 0, 0, 2)
    assert rows[-1][0] == "合  计" and rows[-1][2:] == (0, 2, 0, 0, 0, 2)
    states = list(book.worksheets[1].iter_rows(values_only=True))
    assert states[1][0] == institution.name and states[1][1] == "已报送" and states[1][2] == "王填报"


def test_the_pages_refuse_the_other_roles(client, alice, carol, dave, erin):
    filed_institution(alice.institution)
    with at(JUNE_30):
        for user in (carol, dave, erin):
            client.force_login(user)
            assert client.get(reverse("certification:monthly")).status_code == 404
            assert client.get(reverse("certification:monthly_month", args=[2026, 6])).status_code == 404
        for user in (alice, dave, erin):
            client.force_login(user)
            assert client.get(reverse("certification:monthly_city")).status_code == 404


# -- the way there (issue 38 item 5, slice 2) ------------------------------------------------------------


def test_the_centre_reaches_the_city_total_and_the_institution_its_months(client, alice, carol, dave):
    client.force_login(carol)
    city = reverse("certification:monthly_city")
    assert f'href="{city}"' in client.get(reverse("dashboard")).content.decode()
    summary_page = client.get(reverse("certification:summary"), {"month": "2026-06"}).content.decode()
    assert f'href="{city}?month=2026-06"' in summary_page
    client.force_login(dave)  # the bureau: the statistics, not the centre's city total
    page = client.get(reverse("dashboard")).content.decode()
    assert f'href="{city}"' not in page and reverse("certificates:statistics") in page
    client.force_login(alice)
    mine = reverse("certification:monthly")
    assert f'href="{mine}"' in client.get(reverse("dashboard")).content.decode()
    assert f'href="{mine}"' in client.get(reverse("certification:summary")).content.decode()
