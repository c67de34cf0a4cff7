"""Issue 40: the skip link is the first stop of the Tab key on every page (templates/base.html), is
shown when it has the focus, and Enter moves the focus to the page's <main>, past the navigation. (The
login page puts the focus in its first field instead: autofocus.)"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/certificates/lookup/", "/filings/publicity/"])
def test_tab_then_enter_skips_the_navigation(live_server, page, path):
    page.goto(live_server.url + path)
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["portal-skip-link", "跳到主要内容"]
    box = page.locator(".portal-skip-link").bounding_box()
    assert box and box["y"] >= 0, "the focused skip link is off the screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab stop is inside <main>, not back in the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")
