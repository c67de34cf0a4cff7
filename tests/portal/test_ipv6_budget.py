"""IPv6 clients are counted per /64 (issue 30, finding 2): one subscriber rotating addresses inside its
network shares one budget, in the lookup limits and the login lockout alike (portal.ratelimit.client_key);
IPv4 clients keep one budget per address."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from portal import ratelimit
from portal.login import ADDRESS_MAX_FAILURES
from tests.certificates.factories import CertificateFactory
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def _clean_cache(settings):
    settings.CERTIFICATE_LOOKUP_RATE = f"{LIMIT}/m"
    cache.clear()
    yield
    cache.clear()


def key(address):
    return ratelimit.client_key(RequestFactory().get("/", REMOTE_ADDR=address))


def test_the_key_is_the_ipv6_network_and_the_ipv4_address(settings):
    assert key("2001:db8:1:2::1") == key("2001:DB8:1:2:ffff:ffff:ffff:fffe") == "2001:db8:1:2::/64"
    assert key("2001:db8:1:3::1") != key("2001:db8:1:2::1")
    assert key("203.0.113.9") == "203.0.113.9" and key("203.0.113.10") == "203.0.113.10"
    assert key("::ffff:203.0.113.9") == "203.0.113.9"
    settings.RATELIMIT_IPV6_PREFIX = 48
    assert key("2001:db8:1:2::1") == key("2001:db8:1:3::1") == "2001:db8:1::/48"


def lookups(client, addresses):
    cert = CertificateFactory(holder_name="黄鑫")
    data = {"by": "code", "code": cert.code, "name": "黄鑫"}
    return [client.post("/certificates/lookup/", data, REMOTE_ADDR=a).status_code for a in addresses]


def test_addresses_rotating_inside_one_64_are_held_at_the_lookup_limit(client):
    rotating = [f"2001:db8:1:2::{i:x}" for i in range(1, LIMIT + 3)]
    assert lookups(client, rotating) == [200] * LIMIT + [429, 429]


def test_other_64s_and_ipv4_addresses_keep_their_own_budgets(client):
    networks = [f"2001:db8:1:{i:x}::1" for i in range(LIMIT + 2)]
    v4 = [f"203.0.113.{i}" for i in range(LIMIT + 2)]
    assert lookups(client, networks + v4) == [200] * (2 * LIMIT + 4)


def test_ipv4_is_unchanged_one_address_is_held(client):
    assert lookups(client, ["203.0.113.9"] * (LIMIT + 1)) == [200] * LIMIT + [429]


def test_rotating_inside_one_64_does_not_escape_the_login_lockout(client):
    alice = UserFactory(username="alice", applicant=True)
    for i in range(ADDRESS_MAX_FAILURES):
        response = client.post(
            "/accounts/login/",
            {"username": f"victim{i}", "password": "wrong"},
            REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}",
        )
        assert "登录失败次数过多" not in response.content.decode()
    data = {"username": alice.username, "password": "pw-secret-123"}
    response = client.post("/accounts/login/", data, REMOTE_ADDR="2001:db8:1:2:abcd::99")
    assert response.status_code == 200 and "从您的网络地址登录失败次数过多" in response.content.decode()
    # The neighbouring /64 is another client.
    assert client.post("/accounts/login/", data, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302
