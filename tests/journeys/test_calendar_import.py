"""In a real Chromium: in December, centre staff follow the calendar banner to the working-day calendar,
paste the State Council's notice for next year, read the preview, confirm, and the banner is gone."""

from datetime import UTC, datetime

import pytest
import time_machine

from portal import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。1月31日（周日）、2月20日（周六）上班。
"""


def staff(username, role, password="calendar-2026"):
    # Groups are created by a data migration; an earlier transactional test may have flushed them.
    from django.contrib.auth.models import Group

    from portal.models import User

    user = User.objects.create_user(username, password=password, first_name="王审核", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return username, password


def log_in(page, live_server, username, password):
    page.goto(live_server.url + "/accounts/login/?next=/dashboard/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def test_centre_imports_next_years_notice(live_server, page):
    from portal.models import CalendarDay, CalendarYear

    username, password = staff("carol", roles.CENTRE)
    with time_machine.travel(datetime(2026, 12, 2, 2, 0, tzinfo=UTC), tick=True):
        log_in(page, live_server, username, password)
        banner = page.get_by_test_id("calendar-banner")
        assert "2027 年的法定节假日安排尚未在工作日历中确认完整" in banner.inner_text()
        assert "请在后台" not in banner.inner_text()
        page.get_by_test_id("calendar-banner-link").click()
        page.wait_for_url("**/calendar/?year=2027")
        assert "未确认完整" in page.get_by_test_id("calendar-status").inner_text()
        page.screenshot(path="/tmp/calendar-page-before.png", full_page=True)

        page.get_by_test_id("calendar-import-link").click()
        page.wait_for_url("**/calendar/2027/import/")
        page.fill("textarea[name=text]", NOTICE)
        page.check("input[name=declare_complete]")
        page.get_by_test_id("import-preview-button").click()
        preview = page.get_by_test_id("import-preview")
        preview.wait_for()
        assert "预览：12 个日期" in page.get_by_test_id("import-preview-title").inner_text()
        assert preview.locator("tbody tr").count() == 12
        assert "春节调休上班" in preview.locator("tr", has_text="2027-01-31").inner_text()
        assert page.locator("textarea[name=text]").input_value().startswith("国务院办公厅")
        assert page.locator("input[name=declare_complete]").is_checked()
        assert not CalendarDay.objects.filter(date__year=2027).exists()  # a preview saves nothing
        page.screenshot(path="/tmp/calendar-import-preview.png", full_page=True)

        page.get_by_test_id("import-confirm").click()
        page.wait_for_url("**/calendar/?year=2027")
        assert page.get_by_test_id("calendar-banner").count() == 0
        assert "已确认完整" in page.get_by_test_id("calendar-status").inner_text()
        assert page.get_by_test_id("calendar-entries").locator("tbody tr").count() == 12
        assert CalendarYear.objects.get(year=2027).complete
        page.screenshot(path="/tmp/calendar-page-after.png", full_page=True)

        page.goto(live_server.url + "/dashboard/")
        assert page.get_by_test_id("calendar-banner").count() == 0


def test_bureau_is_told_whom_to_ask(live_server, page):
    username, password = staff("dave", roles.BUREAU)
    with time_machine.travel(datetime(2026, 12, 2, 2, 0, tzinfo=UTC), tick=True):
        log_in(page, live_server, username, password)
        banner = page.get_by_test_id("calendar-banner")
        assert "请联系市职业技能鉴定指导中心审核人员" in banner.inner_text()
        page.get_by_test_id("calendar-banner-link").click()
        page.wait_for_url("**/calendar/?year=2027")
        assert page.get_by_test_id("calendar-import-link").count() == 0
        page.screenshot(path="/tmp/calendar-page-bureau.png", full_page=True)
