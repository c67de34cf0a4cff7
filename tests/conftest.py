"""Shared fixtures: the people of the tests (healthchecks style) and a real Chromium for journeys.

alice is an applicant of institution A, bob an applicant of institution B, carol centre staff,
dave the bureau approver, erin an expert; anonymous visitors use the plain client."""

import os

import pytest

from portal import roles

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run inside one
# unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()



@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    from portal import workdays

    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture
def alice(db):
    from tests.portal.factories import UserFactory

    return UserFactory(username="alice", applicant=True)


@pytest.fixture
def bob(db):
    from tests.portal.factories import UserFactory

    return UserFactory(username="bob", applicant=True)


@pytest.fixture
def carol(db):
    from tests.portal.factories import UserFactory

    return UserFactory(username="carol", role=roles.CENTRE, is_staff=True)


@pytest.fixture
def dave(db):
    from tests.portal.factories import UserFactory

    return UserFactory(username="dave", role=roles.BUREAU)


@pytest.fixture
def erin(db):
    from tests.portal.factories import UserFactory

    return UserFactory(username="erin", role=roles.EXPERT)
