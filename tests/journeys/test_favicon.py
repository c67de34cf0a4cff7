"""In a real Chromium (issue 29 item 11d): /favicon.ico ends at the portal's SVG icon, not a 404."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_browser_gets_the_icon(live_server, page):
    response = page.goto(live_server.url + "/favicon.ico")
    assert response.status == 200 and "svg" in response.headers["content-type"]
    page.goto(live_server.url + "/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server.url + icon).status == 200
