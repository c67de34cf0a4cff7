"""A form sent without a valid CSRF token gets the portal's own Chinese 403 page, which says what to do
(settings.CSRF_FAILURE_VIEW, issue 22 finding 4), not Django's English default."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True)


def test_a_post_without_token_to_a_form_page_gets_the_chinese_page(strict):
    response = strict.post("/accounts/login/", {"username": "alice", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "表单已失效，请重新提交" in body
    assert "刷新（重新加载）表单页面" in body and "返回上一页" in body
    assert "本次提交的内容没有保存" in body
    assert "CSRF verification failed" not in body and "Forbidden" not in body
    assert 'href="/accounts/login/"' in body  # reopen the form


def test_a_logged_in_user_gets_it_too_with_a_button_back_to_the_form_page(strict, alice):
    strict.force_login(alice)
    response = strict.post("/notifications/read/", HTTP_REFERER="http://testserver/notifications/?page=2")
    assert response.status_code == 403
    body = response.content.decode()
    assert "表单已失效，请重新提交" in body
    assert 'href="http://testserver/notifications/?page=2"' in body


def test_a_referer_of_another_site_is_not_linked(strict):
    response = strict.post("/register/", HTTP_REFERER="https://evil.example/form")
    assert response.status_code == 403
    body = response.content.decode()
    assert "evil.example" not in body and 'href="/register/"' in body


def test_the_page_in_english(strict):
    strict.cookies["django_language"] = "en"
    response = strict.post("/accounts/login/")
    assert response.status_code == 403
    assert "表单已失效" not in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_a_stale_login_form_says_what_to_do_and_the_retry_works(live_server, page):
    from tests.portal.factories import UserFactory

    UserFactory(username="alice", applicant=True)
    page.goto(live_server.url + "/accounts/login/")
    page.context.clear_cookies()  # as when the session and its token are gone
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_selector("text=表单已失效，请重新提交")
    page.screenshot(path="/tmp/security-csrf-failure.png", full_page=True)
    page.click("[data-testid=csrf-retry]")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")
