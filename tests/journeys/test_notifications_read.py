"""In a real Chromium (issue 39 item 1): a centre clerk reads the reminders of the daily task on the
notifications page, each naming what it is about with its link, marks one read, then all."""

import datetime

import pytest

from certification import reminders
from portal import roles
from portal.models import Notification
from tests.certification.factories import ExpertQualificationFactory
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def test_a_clerk_reads_and_marks_the_reminders(live_server, page):
    clerk = UserFactory(username="centre-reader", role=roles.CENTRE, is_staff=True)
    for name in ("专家甲", "专家乙"):
        ExpertQualificationFactory(
            valid_until=datetime.date(2027, 3, 31), expert__username=name, expert__first_name=name
        )
    assert reminders.send_qualification_reminders(datetime.date(2027, 3, 11)) == 2
    log_in(page, live_server, "centre-reader")
    page.goto(live_server.url + "/notifications/")
    rows = page.get_by_test_id("notification")
    assert rows.count() == 2
    assert "专家甲" in rows.all_inner_texts()[0] + rows.all_inner_texts()[1]
    assert page.locator("a[href*='/admin/certification/expertqualification/']").count() == 2
    page.get_by_test_id("notification-read").first.click()
    page.wait_for_url("**/notifications/?page=1")
    assert page.get_by_test_id("notification-read").count() == 1
    assert Notification.objects.filter(user=clerk, read_at__isnull=True).count() == 1
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_test_id("notification-read").count() == 0
    assert not Notification.objects.filter(user=clerk, read_at__isnull=True).exists()
