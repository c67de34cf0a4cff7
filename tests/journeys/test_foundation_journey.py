"""In a real Chromium: open the home page, log in as demo staff, see the dashboard, switch to English
and back."""

import pytest

from portal.demo import DEMO_PASSWORD, load_demo_accounts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_and_switches_language(live_server, page):
    load_demo_accounts()
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="职业技能等级认定服务门户").is_visible()

    page.get_by_role("link", name="登录").first.click()
    page.fill("input[name=username]", "centre")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")
    assert "鉴定中心审核人员" in page.get_by_test_id("dashboard-title").inner_text()

    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert "Dashboard" in page.get_by_test_id("dashboard-title").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_test_id("lang-zh-hans").click()
    page.wait_for_load_state()
    assert "工作台" in page.get_by_test_id("dashboard-title").inner_text()
    page.screenshot(path=str(live_server_artifacts() / "foundation-dashboard.png"), full_page=True)


def live_server_artifacts():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
