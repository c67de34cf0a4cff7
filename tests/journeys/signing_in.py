"""What several browser journeys do first: a Chinese browser in Asia/Shanghai signed in as a test user
(the factories' password), and full-page screenshots under test-artifacts/."""

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "pw-secret-123"  # tests/factories: every UserFactory user's password


def login(browser, live_server, username, viewport=None):
    """A new browser context (zh-CN, Asia/Shanghai, 15 s timeouts, downloads allowed) signed in."""
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        accept_downloads=True,
        **({"viewport": viewport} if viewport else {}),
    )
    context.set_default_timeout(15000)
    return sign_in_as(context.new_page(), live_server, username)


def sign_in_as(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")
    return page


def shot(page, name):
    """A full-page screenshot test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
