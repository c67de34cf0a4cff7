"""Every way into an account shares the login limits (issue 30, finding 1): the portal login, the
admin login and a bare authenticate() all go through portal.login.LimitedModelBackend."""

import datetime

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.test import RequestFactory

from portal import login as limits
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

PORTAL = "/accounts/login/"
ADMIN = "/admin/login/"
PASSWORD = "pw-secret-123"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def attempt(client, url, username, password="wrong", address="192.0.2.10"):
    data = {"username": username, "password": password}
    if url == ADMIN:
        data["next"] = "/admin/"
    response = client.post(url, data, REMOTE_ADDR=address)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("url", [PORTAL, ADMIN])
def test_after_the_free_failures_the_right_password_waits_on_every_login_page(client, clock, superuser, url):
    """The finding: wrong passwords for one account from many addresses, then the right one got in."""
    for i in range(limits.USERNAME_FREE_FAILURES + 10):
        attempt(client, url, "root", address=f"198.51.100.{i}")
    status, body = attempt(client, url, "root", PASSWORD, address="203.0.113.1")
    assert status == 200
    assert "该账号登录失败次数过多" in body
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", [PORTAL, ADMIN])
def test_after_the_address_budget_the_right_password_is_refused_on_every_login_page(
    client, clock, superuser, url
):
    for i in range(limits.ADDRESS_MAX_FAILURES):
        attempt(client, url, f"user{i}")
    status, body = attempt(client, url, "root", PASSWORD)
    assert status == 200
    assert "从您的网络地址登录失败次数过多" in body
    assert "_auth_user_id" not in client.session
    # Another address is not concerned.
    assert attempt(client, url, "root", PASSWORD, address="192.0.2.99")[0] == 302


@pytest.mark.parametrize(("failed_on", "then_on"), [(ADMIN, PORTAL), (PORTAL, ADMIN)])
def test_the_two_login_pages_share_one_budget(client, clock, superuser, failed_on, then_on):
    half = limits.ADDRESS_MAX_FAILURES // 2
    for i in range(half):
        attempt(client, failed_on, f"user{i}")
    for i in range(limits.ADDRESS_MAX_FAILURES - half):
        attempt(client, then_on, f"other{i}")
    status, body = attempt(client, then_on, "root", PASSWORD)
    assert status == 200 and "从您的网络地址登录失败次数过多" in body


def test_a_bare_authenticate_counts_and_is_held_too(clock, superuser):
    """Any other caller of authenticate() (with or without a request) goes through the same limits."""
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    for i in range(limits.USERNAME_FREE_FAILURES):
        assert (
            authenticate(
                RequestFactory().post("/", REMOTE_ADDR=f"198.51.100.{i}"), username="root", password="x"
            )
            is None
        )
    assert authenticate(request, username="root", password=PASSWORD) is None
    assert authenticate(username="root", password=PASSWORD) is None
    clock.shift(limits.USERNAME_DELAYS_SECONDS[0])
    assert authenticate(request, username="root", password=PASSWORD) == superuser


def test_the_admin_login_still_works(client, clock, superuser):
    assert attempt(client, ADMIN, "root", PASSWORD)[0] == 302
    assert client.get("/admin/").status_code == 200


def test_the_password_changes_old_password_is_held_too(client, clock, superuser):
    """A borrowed session guessing the old password on the password change page counts and waits."""
    client.force_login(superuser)
    url = "/accounts/password/change/"
    new = {"new_password1": "Zq8!new-pass-77", "new_password2": "Zq8!new-pass-77"}
    for _ in range(limits.USERNAME_FREE_FAILURES):
        client.post(url, {"old_password": "wrong", **new}, REMOTE_ADDR="192.0.2.10")
    response = client.post(url, {"old_password": PASSWORD, **new}, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 200 and "该账号登录失败次数过多" in response.content.decode()
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)
    # The failures count on the login pages as well.
    assert "该账号登录失败次数过多" in attempt(client, ADMIN, "root", PASSWORD, address="203.0.113.5")[1]
    clock.shift(limits.USERNAME_DELAYS_SECONDS[0])
    assert client.post(url, {"old_password": PASSWORD, **new}, REMOTE_ADDR="192.0.2.10").status_code == 302
