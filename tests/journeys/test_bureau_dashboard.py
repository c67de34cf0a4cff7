"""In a real Chromium (issue 37, slice 2): the bureau logs in and lands on its dashboard; what waits
for its decision equals the database count and opens its list; the institutions filed are drawn by
district and route (ECharts, SVG) and the table under the chart holds the database's numbers."""

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


def test_the_bureau_sees_what_waits_and_the_institutions_filed(live_server, page):
    from django.contrib.auth.models import Group

    from filings.constants import State
    from filings.models import Filing
    from portal import roles
    from tests.filings.factories import in_state
    from tests.filings.factories_after import ComplaintFactory, FiledFilingFactory, SanctionFactory
    from tests.portal.factories import UserFactory

    for name in roles.ALL_ROLES:  # a transactional test may run after a flush
        Group.objects.get_or_create(name=name)
    UserFactory(username="renshe", role=roles.BUREAU)
    now = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
    today = now.date()
    with time_machine.travel(now, tick=True):
        for days in (-3, 0, 20):
            in_state(State.EVALUATED, due_on=today + timedelta(days=days))
        filed = FiledFilingFactory(institution_sequence="013001")
        FiledFilingFactory(institution_sequence="015002")
        FiledFilingFactory(route="S", kind="social_group", institution_sequence="026003")
        SanctionFactory(filing=filed, rectification=True)
        ComplaintFactory(filing=filed)

        page.context.clear_cookies()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", "renshe")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/dashboard/")

        waiting = Filing.objects.filter(state=State.EVALUATED).count()
        assert page.get_by_test_id("fig-waiting-filings").inner_text() == str(waiting) == "3"
        assert page.get_by_test_id("fig-waiting-filings-overdue").inner_text() == "1"
        assert page.get_by_test_id("fig-filed-district-01").inner_text() == "2"
        assert page.get_by_test_id("fig-sanctions-open").inner_text() == "1"
        assert page.get_by_test_id("fig-bureau-complaints-open").inner_text() == "1"

        chart = page.get_by_test_id("chart-institutions")
        chart.locator("[data-rendered] svg").wait_for()
        svg = chart.locator("svg").first.inner_html()
        for name in ("用人单位自主评价（Y）", "社会培训评价组织（S）", "区划 01", "区划 02"):
            assert name in svg
        rows = page.get_by_test_id("table-institutions").locator("tbody tr")
        assert rows.count() == 2
        for i, district in enumerate(("01", "02")):
            cells = rows.nth(i).locator("th, td").all_inner_texts()
            here = Filing.objects.filter(state=State.FILED, institution_sequence__startswith=district)
            assert cells == [
                f"区划 {district}",
                str(here.filter(route="Y").count()),
                str(here.filter(route="S").count()),
            ]
        page.screenshot(path=str(_artifacts() / "bureau-dashboard-37.png"), full_page=True)

        # A figure opens its list, filtered by the list's own filters, with as many rows.
        page.get_by_test_id("fig-filed-district-01").click()
        page.wait_for_url("**/filings/queue/filed/?district=01")
        assert page.get_by_test_id("queue").locator("tbody tr").count() == 2
        page.goto(live_server.url + "/dashboard/")
        page.get_by_test_id("fig-waiting-filings-overdue").click()
        page.wait_for_url("**/filings/queue/evaluated/?overdue=on")
        assert page.get_by_test_id("queue").locator("tbody tr").count() == 1
