"""Password reset limits (issue 30, finding 5; portal/password_reset.py): one mail per account per
MAIL_INTERVAL_SECONDS, a budget per client address, and one answer whatever happened."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache

from portal import password_reset as limits
from portal import ratelimit
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/password/reset/"
DONE = "/accounts/password/reset/sent/"
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
def dora(db):
    return UserFactory(username="dora", email="dora@example.org")


def ask(client, email, address="192.0.2.10"):
    response = client.post(URL, {"email": email}, REMOTE_ADDR=address)
    assert response.status_code == 302 and response.url == DONE  # the same answer every time
    return response


def mails_to(email):
    return [m for m in mail.outbox if email in m.to]


def test_repeated_requests_send_one_mail(client, clock, dora):
    """The finding: 12 requests in 2 s sent 12 mails."""
    for _ in range(12):
        ask(client, dora.email)
    assert len(mails_to(dora.email)) == 1


def test_rotating_addresses_or_spellings_do_not_send_more(client, clock, dora):
    for i in range(6):
        ask(client, dora.email.upper() if i % 2 else dora.email, address=f"198.51.100.{i}")
    assert len(mails_to(dora.email)) == 1


def test_a_new_mail_after_the_interval(client, clock, dora):
    ask(client, dora.email)
    clock.shift(limits.MAIL_INTERVAL_SECONDS - 1)
    ask(client, dora.email)
    assert len(mails_to(dora.email)) == 1
    clock.shift(1)
    ask(client, dora.email)
    assert len(mails_to(dora.email)) == 2


def test_another_account_gets_its_own_mail(client, clock, dora):
    erin = UserFactory(username="erin2", email="erin2@example.org")
    ask(client, dora.email)
    ask(client, erin.email)
    assert len(mails_to(dora.email)) == len(mails_to(erin.email)) == 1


def test_an_unknown_address_is_answered_the_same(client, clock, dora):
    known = ask(client, dora.email)
    unknown = ask(client, "nobody@example.org")
    assert known.url == unknown.url and known.content == unknown.content == b""
    assert not mails_to("nobody@example.org")


def test_one_client_address_is_held_to_its_budget(client, clock):
    limit, _ = ratelimit.parse_rate(limits.ADDRESS_RATE)
    people = [UserFactory(username=f"p{i}", email=f"p{i}@example.org") for i in range(limit + 2)]
    for person in people:
        ask(client, person.email)
    assert [len(mails_to(p.email)) for p in people] == [1] * limit + [0, 0]
    # Another client is not concerned.
    ask(client, people[-1].email, address="192.0.2.99")
    assert len(mails_to(people[-1].email)) == 1
