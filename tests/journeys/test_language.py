"""In a real Chromium set to English (issue 29 item 13): the portal still opens in Chinese; one click on
the navbar's language button gives English, which a new page and a new tab of the same browser keep."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_english_browser_gets_chinese_then_english_one_click_away(live_server, browser):
    context = browser.new_context(locale="en-US", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.get_by_role("link", name="登录").count() > 0
        page.get_by_test_id("lang-en").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        page.goto(live_server.url + "/eligibility/check/")
        assert page.locator("html").get_attribute("lang") == "en"
        later = context.new_page()
        later.goto(live_server.url + "/")
        assert later.locator("html").get_attribute("lang") == "en"
        later.get_by_test_id("lang-zh-hans").click()
        later.wait_for_load_state()
        assert later.locator("html").get_attribute("lang") == "zh-hans"
    finally:
        context.close()
