"""In a real Chromium (issue 37, slice 2): an expert logs in and lands on the dashboard; the
evaluations assigned, due and done equal the database counts of the expert's own rows and open the
expert's list with as many rows."""

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


def test_an_expert_sees_the_reviews_assigned_due_and_done(live_server, page):
    from django.contrib.auth.models import Group

    from filings.models import ExpertReview
    from portal import roles
    from tests.portal.factories import UserFactory
    from tests.portal.test_dashboard_expert import _evaluation, _review

    for name in roles.ALL_ROLES:  # a transactional test may run after a flush
        Group.objects.get_or_create(name=name)
    expert = UserFactory(username="zhuanjia", role=roles.EXPERT)
    other = UserFactory(username="zhuanjia-2", role=roles.EXPERT)
    now = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
    today = now.date()
    with time_machine.travel(now, tick=True):
        _evaluation(expert, today - timedelta(days=3))
        _evaluation(expert, today + timedelta(days=30))
        _evaluation(expert, today - timedelta(days=9), submitted=True)
        _evaluation(other, today - timedelta(days=3))
        _review(expert)
        _review(expert, passed=False)

        page.context.clear_cookies()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", "zhuanjia")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/dashboard/")

        pending = ExpertReview.objects.filter(expert=expert, submitted_at=None).count()
        assert page.get_by_test_id("fig-expert-filings-pending").inner_text() == str(pending) == "2"
        assert page.get_by_test_id("fig-expert-filings-overdue").inner_text() == "1"
        assert page.get_by_test_id("fig-expert-filings-done").inner_text() == "1"
        assert page.get_by_test_id("fig-expert-reviews-open").inner_text() == "1"
        assert page.get_by_test_id("fig-expert-reviews-done").inner_text() == "1"
        page.screenshot(path=str(_artifacts() / "expert-dashboard.png"), full_page=True)

        page.get_by_test_id("fig-expert-filings-overdue").click()
        page.wait_for_url("**/filings/expert/?status=pending&due=overdue")
        assert page.locator("table tbody tr").count() == 1
