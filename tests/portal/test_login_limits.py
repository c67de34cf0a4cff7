"""The login limits (portal/login.py, issue 22 finding 2): a per-address failure count that a successful
login does not reset, and progressive per-username delays instead of a 15-minute lock."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from portal import login as limits
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/login/"
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


def attempt(client, username, password="wrong", address="192.0.2.10"):
    response = client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=address)
    return response.status_code, response.content.decode()


def test_url():
    assert reverse("login") == URL


def test_spraying_with_successful_logins_in_between_is_still_stopped_per_address(client, clock):
    """An attacker with an account of their own logs in between guesses: the address count stays."""
    UserFactory(username="mallory", applicant=True)
    victim = UserFactory(username="victim", applicant=True)
    for i in range(limits.ADDRESS_MAX_FAILURES):
        assert attempt(client, "mallory", PASSWORD)[0] == 302
        client.logout()
        status, body = attempt(client, f"user{i}")
        assert status == 200 and "登录失败次数过多" not in body
        clock.shift(1)
    status, body = attempt(client, victim.username, PASSWORD)
    assert status == 200
    assert "从您的网络地址登录失败次数过多，请 15 分钟后再试" in body
    # Another address is not concerned.
    assert attempt(client, victim.username, PASSWORD, address="192.0.2.99")[0] == 302


def test_the_address_count_expires_with_its_window(client, clock):
    alice = UserFactory(username="alice", applicant=True)
    for i in range(limits.ADDRESS_MAX_FAILURES):
        attempt(client, f"user{i}")
    clock.shift(limits.ADDRESS_WINDOW_SECONDS - 120)
    status, body = attempt(client, alice.username, PASSWORD)
    assert status == 200 and "请 2 分钟后再试" in body
    clock.shift(121)
    assert attempt(client, alice.username, PASSWORD)[0] == 302


def test_a_strangers_failures_do_not_lock_the_user_out_for_15_minutes(client, clock):
    centre = UserFactory(username="centre", applicant=True)
    for i in range(limits.USERNAME_FREE_FAILURES):
        status, body = attempt(client, "centre", address=f"198.51.100.{i}")
        assert "登录失败次数过多" not in body
    # During the delay even the right password is refused, and told how long to wait.
    status, body = attempt(client, "centre", PASSWORD, address="192.0.2.10")
    assert status == 200
    assert f"请等待 {limits.USERNAME_DELAYS_SECONDS[0]} 秒后再试" in body
    # The legitimate user gets in once the short delay has passed, long before 15 minutes.
    clock.shift(limits.USERNAME_DELAYS_SECONDS[0])
    assert attempt(client, centre.username, PASSWORD, address="192.0.2.10")[0] == 302


def test_the_delay_grows_and_the_message_says_how_long(client, clock):
    UserFactory(username="bureau", applicant=True)
    for i in range(limits.USERNAME_FREE_FAILURES):
        attempt(client, "bureau", address=f"198.51.100.{i}")
    waits = []
    for i in range(len(limits.USERNAME_DELAYS_SECONDS) + 1):
        delay = limits.username_delay(limits.USERNAME_FREE_FAILURES + i)
        status, body = attempt(client, "bureau", address="203.0.113.1")
        assert f"请等待 {delay} 秒后再试" in body
        clock.shift(delay - 1)
        # One second before the end: still refused, and told one second is left.
        assert "请等待 1 秒后再试" in attempt(client, "bureau", PASSWORD, address="203.0.113.2")[1]
        clock.shift(1)
        # The delay over, a wrong password counts again (from another address, not to hit its limit).
        status, body = attempt(client, "bureau", address=f"203.0.113.{10 + i}")
        assert "登录失败次数过多" not in body
        waits.append(delay)
    assert waits == sorted(waits) and waits[0] < waits[-2] and waits[-1] == waits[-2]
    assert max(limits.USERNAME_DELAYS_SECONDS) < 15 * 60


def test_a_refused_attempt_during_the_delay_does_not_prolong_it(client, clock):
    alice = UserFactory(username="alice", applicant=True)
    for i in range(limits.USERNAME_FREE_FAILURES):
        attempt(client, "alice", address=f"198.51.100.{i}")
    for _ in range(3):
        attempt(client, "alice", address="203.0.113.1")  # refused without checking the password
    clock.shift(limits.USERNAME_DELAYS_SECONDS[0])
    assert attempt(client, alice.username, PASSWORD)[0] == 302


def test_a_successful_login_ends_the_usernames_delays(client, clock):
    alice = UserFactory(username="alice", applicant=True)
    for _ in range(limits.USERNAME_FREE_FAILURES - 1):
        attempt(client, "alice", address="198.51.100.1")
    assert attempt(client, alice.username, PASSWORD)[0] == 302
    client.logout()
    # A new mistake after the success is the first of a new count: no delay.
    attempt(client, "alice", address="198.51.100.1")
    assert attempt(client, alice.username, PASSWORD)[0] == 302


def test_the_username_count_is_forgotten_after_its_window(client, clock):
    alice = UserFactory(username="alice", applicant=True)
    for i in range(limits.USERNAME_FREE_FAILURES):
        attempt(client, "alice", address=f"198.51.100.{i}")
    clock.shift(limits.USERNAME_WINDOW_SECONDS + 1)
    attempt(client, "alice", address="198.51.100.50")  # a first failure again: no delay after it
    assert attempt(client, alice.username, PASSWORD)[0] == 302


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_delay_message_says_how_long(live_server, page):
    UserFactory(username="centre", applicant=True)
    page.goto(live_server.url + "/accounts/login/")
    for _ in range(limits.USERNAME_FREE_FAILURES + 1):
        page.fill("input[name=username]", "centre")
        page.fill("input[name=password]", "wrong")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
    page.screenshot(path="/tmp/security-login-delay.png", full_page=True)
    assert page.get_by_text(f"请等待 {limits.USERNAME_DELAYS_SECONDS[0]} 秒后再试").first.is_visible()
