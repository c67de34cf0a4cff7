"""In a real Chromium (seed 004 四(四)3 / 附件7 upward reporting): an institution with verified results
opens its month, types the 填报人 and submits; the centre's city total of that month includes its counts
and marks it submitted; the province table exported as XLSX has the same total."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from certification.constants import Verification
from portal import roles, workdays
from tests.certification.factories import (
    CandidateFactory,
    MonthlySummaryFactory,
    PlanFactory,
    filed_institution,
)
from tests.journeys.signing_in import login, shot
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_institution_submits_its_month_and_the_city_total_includes_it(live_server, browser):
    today = workdays.today()
    month = today.replace(day=1)
    user = UserFactory(username="inst", applicant=True)
    UserFactory(username="centre1", role=roles.CENTRE)
    institution = filed_institution(user.institution)
    # Three candidates verified passing this month (level 4).
    plan = PlanFactory(institution=institution, verified=True, verified_on=today, levels=[4])
    CandidateFactory.create_batch(3, plan=plan, level=4, verification=Verification.ACCEPTED, passed=True)
    # Another institution already reported 2 for the month.
    MonthlySummaryFactory(month=month, reported_on=today, submitted_on=today)

    # The institution opens its month from its list, types the 填报人 and submits.
    page = login(browser, live_server, "inst")
    page.goto(live_server.url + "/certification/monthly/")
    page.locator(f"a[href='/certification/monthly/{month.year}/{month.month}/']").first.click()
    assert page.get_by_test_id("monthly-table-total").inner_text().split()[-1] == "3"
    page.fill("input[name=reporter]", "王填报")
    shot(page, "monthly-1-month")
    with page.expect_navigation():
        page.locator("[data-testid=monthly-form] button[type=submit]").click()
    page.wait_for_selector(f"text=已报送 {month:%Y-%m} 的认定结果汇总表。")

    # The centre: the city total of the month includes the 3, and the institution is marked submitted.
    centre = login(browser, live_server, "centre1")
    centre.goto(live_server.url + f"/certification/monthly/city/?month={month:%Y-%m}")
    assert centre.get_by_test_id("city-total-total").inner_text().split()[-1] == "5"
    row = centre.get_by_test_id(f"city-institution-{institution.pk}").inner_text()
    assert "已报送" in row and "王填报" in row and row.split()[-1] == "3"
    shot(centre, "monthly-2-city")

    # The province table has the same total.
    with centre.expect_download() as info:
        centre.get_by_test_id("monthly-xlsx").click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    sheet = book.worksheets[0]
    last = list(sheet.values)[-1]
    assert last[0] == "合  计" and last[-1] == 5
    page.context.close()
    centre.context.close()
