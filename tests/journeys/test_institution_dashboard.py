"""In a real Chromium (issue 37, slice 2): an institution's user logs in and lands on its dashboard;
its deadlines equal the database counts of its own plans (another institution's never count) and open
its plan list with as many rows; its certificates per month and pass rates are drawn (ECharts, SVG)
with their tables."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "pw-secret-123"


def _artifacts() -> Path:
    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def test_an_institution_sees_its_own_deadlines_plans_and_certificates(live_server, page):
    from django.contrib.auth.models import Group

    from certification import rules
    from certification.models import AssessmentPlan
    from portal import roles
    from tests.certificates.factories import CertificateFactory
    from tests.certification.factories import CandidateFactory, PlanFactory
    from tests.filings.factories_after import FiledFilingFactory
    from tests.portal.factories import InstitutionFactory, UserFactory

    for name in roles.ALL_ROLES:  # a transactional test may run after a flush
        Group.objects.get_or_create(name=name)
    user = UserFactory(username="jigou", applicant=True)
    mine, theirs = user.institution, InstitutionFactory()
    now = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
    today = now.date()
    with time_machine.travel(now, tick=True):
        first = rules.first_allowed_start(today).date
        for institution in (mine, theirs):
            PlanFactory(institution=institution, start_date=first - timedelta(days=1), end_date=first)  # late
            PlanFactory(
                institution=institution,
                start_date=first + timedelta(days=30),
                end_date=first + timedelta(days=31),
            )
            PlanFactory(
                institution=institution, approved=True, end_date=today - timedelta(days=30)
            )  # report late
        FiledFilingFactory(institution=mine, valid_until=today + timedelta(days=20))
        plan = PlanFactory(institution=mine, uploaded=True)
        for _ in range(4):
            CandidateFactory(plan=plan, level=4)
        for days in (0, 0, 0, 35):
            CertificateFactory(
                institution=mine, occupation=plan.occupation, level=4, issue_date=today - timedelta(days=days)
            )
        CertificateFactory(institution=theirs, occupation=plan.occupation, level=4, issue_date=today)

        page.context.clear_cookies()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", "jigou")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/dashboard/")

        drafts = AssessmentPlan.objects.filter(institution=mine, state="draft")
        assert page.get_by_test_id("fig-mine-submit").inner_text() == str(drafts.count()) == "2"
        assert page.get_by_test_id("fig-mine-submit-overdue").inner_text() == "1"
        assert page.get_by_test_id("fig-mine-report-overdue").inner_text() == "1"
        assert page.get_by_test_id("fig-mine-renewal").inner_text() == "1"
        assert page.get_by_test_id("fig-mine-plans-uploaded").inner_text() == "1"

        chart = page.get_by_test_id("chart-mine-certificates")
        chart.locator("[data-rendered] svg").wait_for()
        assert "四级/中级工" in chart.locator("svg").first.inner_html()  # (LEVEL_NAMES[4], in Chinese)
        last = page.get_by_test_id("table-mine-certificates").locator("tbody tr").last
        assert last.locator("td").nth(3).inner_text() == "3"  # level 4 this month: its own three
        rates = page.get_by_test_id("chart-pass-rates")
        rates.locator("[data-rendered] svg").wait_for()
        svg = rates.locator("svg").first.inner_html()
        assert "合格率（%）" in svg  # the rate is drawn; its counts are in the table
        cells = (
            page.get_by_test_id("table-pass-rates")
            .locator("tbody tr")
            .first.locator("th, td")
            .all_inner_texts()
        )
        assert cells[1:] == ["4", "4", "100"]
        page.screenshot(path=str(_artifacts() / "institution-dashboard.png"), full_page=True)

        page.get_by_test_id("fig-mine-submit-overdue").click()
        page.wait_for_url("**/certification/plans/?step=submit&clock=overdue")
        assert page.locator("table tbody tr").count() == 1
