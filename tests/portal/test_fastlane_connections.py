"""The fast lane's database connections (portal/fastlane.py, issue 42 item 1): no ``SELECT 1`` health
check before a fast-lane view's query, and a connection found dead is replaced and the view run once more,
so a restarted database or a killed backend still gives the visitor the answer, not an error page.

These tests run on real connections with real request signals (no test transaction around them), and kill
the request's PostgreSQL backend with pg_terminate_backend from a second connection."""

from urllib.parse import quote

import psycopg
import pytest
from django.db import connection, connections
from django.test import RequestFactory

from portal import fastlane
from portal.wsgi import application
from tests.certificates.factories import CertificateFactory
from tests.certificates.factories_lookup import fresh_rate_limits, signed_path  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_rate_limits")]


def get(path: str):
    """A GET through the portal's WSGI application, with Django's request signals as in production."""
    path, _, query = path.partition("?")
    environ = RequestFactory().get(path).environ
    environ["QUERY_STRING"] = query
    seen = {}

    def start_response(status, headers):
        seen["status"] = int(status.split()[0])

    response = application(environ, start_response)
    body = b"".join(response)
    response.close()
    return seen["status"], body


def kill_backend(pid: int) -> None:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        killed = other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
    assert killed


@pytest.fixture
def persistent(settings):
    """Connections kept between requests, with health checks on, as the portal's settings have them."""
    connection.close()
    keep = connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    yield
    connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"] = keep
    connection.close()


@pytest.fixture
def health_checks(monkeypatch):
    """Counts Django's health checks (is_usable: the SELECT 1 round trip) on this thread's connection."""
    seen = []
    wrapper = type(connections["default"])
    original = wrapper.is_usable

    def counted(self):
        seen.append(self.alias)
        return original(self)

    monkeypatch.setattr(wrapper, "is_usable", counted)
    return seen


def test_a_fast_lane_request_makes_no_health_check_and_another_page_still_does(persistent, health_checks):
    cert = CertificateFactory()
    assert get(signed_path(cert))[0] == 200  # opens the connection (new connections are not checked)
    health_checks.clear()
    status, body = get(signed_path(cert))
    assert status == 200 and cert.code.encode() in body
    assert health_checks == []
    # the main handler keeps Django's health check: a page that reads the database asks SELECT 1 first
    assert get("/certificates/about/")[0] == 200
    health_checks.clear()
    assert get("/readyz")[0] == 200
    assert health_checks == ["default"]


def test_a_killed_backend_is_replaced_and_the_visitor_gets_the_answer(persistent):
    cert = CertificateFactory()
    assert get(signed_path(cert))[0] == 200
    before = connection.connection.info.backend_pid
    kill_backend(before)
    status, body = get(signed_path(cert))
    assert status == 200 and cert.code.encode() in body
    assert connection.connection.info.backend_pid != before


def test_without_the_retry_a_killed_backend_would_be_an_error_page(persistent, monkeypatch):
    """The test above can fail: with the dead connection not dropped, the same request is a 500."""
    monkeypatch.setattr(fastlane, "drop_lost_connections", lambda: False)
    cert = CertificateFactory()
    assert get(signed_path(cert))[0] == 200
    kill_backend(connection.connection.info.backend_pid)
    assert get(signed_path(cert))[0] == 500


def test_a_database_that_stays_down_still_gives_the_error_page(persistent, monkeypatch):
    """One retry only: when the new connection fails as well, the error page is shown (no loop)."""
    cert = CertificateFactory()
    calls = []
    original = fastlane.drop_lost_connections

    def dropping():
        calls.append(1)
        return original()

    monkeypatch.setattr(fastlane, "drop_lost_connections", dropping)
    assert get(signed_path(cert))[0] == 200
    kill_backend(connection.connection.info.backend_pid)
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")  # the reconnection fails too
    assert get(signed_path(cert))[0] == 500
    assert calls == [1]


@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_a_retried_lookup_spends_one_hit_of_the_budget(persistent, settings, api):
    """The view is run twice on the killed backend's request, but the visitor's lookup is counted once:
    with a budget of 2, the retried second lookup is answered and only the third is refused (counted
    twice, the second was refused: tests/cluster saw 39 of 40 answered)."""
    settings.CERTIFICATE_LOOKUP_RATE = "2/h"
    cert = CertificateFactory()
    name = quote(cert.holder_name)
    path = f"/api/v1/certificates/verify?code={cert.code}&name={name}" if api else signed_path(cert)
    assert get(path)[0] == 200
    kill_backend(connection.connection.info.backend_pid)
    assert get(path)[0] == 200
    assert get(path)[0] == 429
