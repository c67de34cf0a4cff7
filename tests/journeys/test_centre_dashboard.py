"""In a real Chromium (issue 37, slice 1): centre staff log in and land on their dashboard; a figure
equals the database count and its link opens the list with the same number of rows; the charts are
drawn (ECharts, SVG) with the expected series and each chart's table holds the database's numbers.
Time is frozen (ticking) in the test process, which is also the live server's process."""

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


def test_centre_staff_see_their_queues_and_the_year_on_the_dashboard(live_server, page):
    from django.contrib.auth.models import Group

    from certificates.models import Certificate
    from filings.constants import State
    from filings.models import Filing
    from portal import roles
    from tests.certificates.factories import CertificateFactory
    from tests.filings.factories import in_state
    from tests.portal.factories import UserFactory

    for name in roles.ALL_ROLES:  # a transactional test may run after a flush
        Group.objects.get_or_create(name=name)
    UserFactory(username="zhongxin", role=roles.CENTRE)
    now = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
    today = now.date()
    with time_machine.travel(now, tick=True):
        for days in (-5, -2, 0, 20):
            in_state(State.SUBMITTED, due_on=today + timedelta(days=days))
        for level, month_back in ((3, 0), (3, 0), (4, 0), (2, 40), (5, 70)):
            CertificateFactory(level=level, issue_date=today - timedelta(days=month_back))

        page.context.clear_cookies()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", "zhongxin")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/dashboard/")

        overdue = Filing.objects.filter(state=State.SUBMITTED, due_on__lt=today).count()
        assert page.get_by_test_id("fig-filings-submitted-overdue").inner_text() == str(overdue) == "2"
        assert page.get_by_test_id("fig-filings-submitted").inner_text() == "4"

        # The charts: ECharts draws an SVG per chart, with a legend entry per series.
        chart = page.get_by_test_id("chart-certificates")
        chart.locator("[data-rendered] svg").wait_for()
        svg = chart.locator("svg").first.inner_html()
        for name in ("一级/高级技师", "三级/高级工", "四级/中级工"):
            assert name in svg
        assert page.get_by_test_id("chart-filings").locator("svg").count() == 1
        # The table under it holds the database's numbers, month by month.
        table = page.get_by_test_id("table-certificates")
        rows = table.locator("tbody tr")
        assert rows.count() == 12
        for i in range(12):
            cells = rows.nth(i).locator("th, td").all_inner_texts()
            year, month = map(int, cells[0].split("-"))
            for level in range(1, 6):
                n = Certificate.objects.filter(
                    level=level, issue_date__year=year, issue_date__month=month
                ).count()
                assert int(cells[level]) == n, (cells, level)
        page.screenshot(path=str(_artifacts() / "centre-dashboard.png"), full_page=True)

        # Printed: the print stylesheet hides the navigation and the shortcuts, keeps figures and charts.
        page.emulate_media(media="print")
        assert page.locator("nav.navbar").first.is_hidden()
        assert page.get_by_test_id("panel-filings").is_visible()
        assert page.get_by_test_id("chart-certificates").locator("svg").first.is_visible()
        page.screenshot(path=str(_artifacts() / "centre-dashboard-print.png"), full_page=True)
        page.emulate_media(media="screen")

        # A figure opens its list, filtered by the list's own filters, with as many rows.
        page.get_by_test_id("fig-filings-submitted-overdue").click()
        page.wait_for_url("**/filings/queue/submitted/?overdue=on")
        assert page.get_by_test_id("queue").locator("tbody tr").count() == 2
        assert page.locator("input[name=overdue]").is_checked()
