"""The client address behind proxies (portal.ratelimit.client_ip), which every rate limit, the login
lockout and the lookup log's address hash read: X-Forwarded-For is read from the right, one entry per
trusted proxy, since everything to the left of what our proxies appended was written by the client."""

import runpy
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from certificates.models import LookupEvent
from portal import ratelimit
from portal.login import ADDRESS_MAX_FAILURES
from tests.certificates.factories import CertificateFactory

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "portal" / "settings.py"
PROXY = "10.0.0.2"  # the proxy's own address, the peer the application server sees
CLIENT = "203.0.113.9"


def request(forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_proxies(settings):
    settings.RATELIMIT_TRUST_FORWARDED = True
    settings.RATELIMIT_TRUSTED_PROXIES = 1
    return settings


def forged(i: int) -> str:
    """X-Forwarded-For as our proxy passes it on when the client wrote a new first entry each time."""
    return f"198.51.100.{i}, {CLIENT}"


def test_one_proxy_the_last_entry_is_the_client(behind_proxies):
    assert ratelimit.client_ip(request(f"198.51.100.1, 192.0.2.77, {CLIENT}")) == CLIENT
    assert ratelimit.client_ip(request(CLIENT)) == CLIENT


def test_two_proxies_the_second_entry_from_the_right_is_the_client(behind_proxies):
    behind_proxies.RATELIMIT_TRUSTED_PROXIES = 2
    # forged first entry, the client as seen by the outer proxy, the outer proxy as seen by the inner
    assert ratelimit.client_ip(request(f"198.51.100.1, {CLIENT}, 10.0.0.1")) == CLIENT
    assert ratelimit.client_ip(request(f"{CLIENT}, 10.0.0.1")) == CLIENT


@pytest.mark.parametrize("proxies", [2, 3])
def test_a_header_shorter_than_the_proxy_chain_is_not_trusted(behind_proxies, proxies):
    behind_proxies.RATELIMIT_TRUSTED_PROXIES = proxies
    assert ratelimit.client_ip(request(CLIENT)) == PROXY
    assert ratelimit.client_ip(request("")) == PROXY


def test_no_header_or_forwarding_not_trusted_gives_the_peer(settings):
    settings.RATELIMIT_TRUST_FORWARDED = True
    settings.RATELIMIT_TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(request()) == PROXY
    settings.RATELIMIT_TRUST_FORWARDED = False
    assert ratelimit.client_ip(request(f"198.51.100.1, {CLIENT}")) == PROXY
    settings.RATELIMIT_TRUST_FORWARDED = True
    settings.RATELIMIT_TRUSTED_PROXIES = 0  # forwarding on, but no proxy in front
    assert ratelimit.client_ip(request(f"198.51.100.1, {CLIENT}")) == PROXY


@pytest.mark.parametrize(
    "entry",
    [
        "",
        " ",
        "unknown",
        "not-an-ip",
        "999.1.1.1",
        "1.2.3.4.5",
        "203.0.113.9; DROP TABLE",
        "<script>alert(1)</script>",
        "[2001:db8::1",
        "203.0.113.9:port",
        "x" * 5000,
    ],
)
def test_a_malformed_entry_falls_back_to_the_peer(behind_proxies, entry):
    assert ratelimit.client_ip(request(f"198.51.100.1, {entry}")) == PROXY
    assert ratelimit.client_ip(request(entry)) == PROXY


@pytest.mark.parametrize(
    ("entry", "address"),
    [
        ("203.0.113.9:4711", "203.0.113.9"),
        (" 203.0.113.9 ", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:DB8:0:0::1", "2001:db8::1"),  # one spelling per address, so one budget
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:4711", "2001:db8::1"),
        ("::ffff:203.0.113.9", "203.0.113.9"),  # IPv4 on a dual-stack socket
    ],
)
def test_ports_and_ipv6(behind_proxies, entry, address):
    assert ratelimit.client_ip(request(f"198.51.100.1, {entry}")) == address


def test_the_peer_address_is_read_the_same_way(settings):
    settings.RATELIMIT_TRUST_FORWARDED = False
    assert ratelimit.client_ip(request(remote="2001:DB8::1")) == "2001:db8::1"
    assert ratelimit.client_ip(request(remote="")) == ""


def settings_under(monkeypatch, **environment) -> dict:
    for name in ("RATELIMIT_TRUST_FORWARDED", "RATELIMIT_TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_trusted_proxies_default_one_when_forwarding_is_trusted(monkeypatch):
    trusted = settings_under(monkeypatch, RATELIMIT_TRUST_FORWARDED="1")
    assert trusted["RATELIMIT_TRUST_FORWARDED"] is True and trusted["RATELIMIT_TRUSTED_PROXIES"] == 1
    assert settings_under(monkeypatch)["RATELIMIT_TRUSTED_PROXIES"] == 0
    two = settings_under(monkeypatch, RATELIMIT_TRUST_FORWARDED="1", RATELIMIT_TRUSTED_PROXIES="2")
    assert two["RATELIMIT_TRUSTED_PROXIES"] == 2


@pytest.mark.django_db
def test_a_rotating_forged_first_entry_does_not_escape_the_lookup_rate_limit(
    client, behind_proxies, redis_cache
):
    behind_proxies.CERTIFICATE_LOOKUP_RATE = "3/m"
    cert = CertificateFactory(holder_name="黄鑫")
    data = {"by": "code", "code": cert.code, "name": "黄鑫"}
    statuses = [
        client.post(
            "/certificates/lookup/", data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged(i)
        ).status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    # One client, one hashed address in the log, whatever it wrote in front.
    assert len({event.ip_hash for event in LookupEvent.objects.all()}) == 1
    # Another client behind the same proxy keeps its own budget.
    other = client.post(
        "/certificates/lookup/", data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{CLIENT}, 192.0.2.50"
    )
    assert other.status_code == 200


@pytest.mark.django_db
def test_a_rotating_forged_first_entry_does_not_escape_the_login_lockout(client, behind_proxies, redis_cache):
    from tests.portal.factories import UserFactory

    alice = UserFactory(username="alice", applicant=True)
    url = reverse("login")
    # Password spraying: a new account and a new forged first entry on every try, from one client.
    for i in range(ADDRESS_MAX_FAILURES):
        response = client.post(
            url,
            {"username": f"victim{i}", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forged(i),
        )
        assert "登录失败次数过多" not in response.content.decode()
    response = client.post(
        url,
        {"username": alice.username, "password": "pw-secret-123"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forged(99),
    )
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode()
    # The address is locked, not the proxy: another client logs in.
    response = client.post(
        url,
        {"username": alice.username, "password": "pw-secret-123"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.50",
    )
    assert response.status_code == 302
