"""The fast lane (portal/fastlane.py): the public verification page and API served by a lighter Django
handler must answer exactly as the full one does (status, body, every header but the request id), keep
the host check and the language, and leave every other request to the main handler."""

import contextlib
import re

import pytest
import time_machine
from django.core import signals
from django.db import close_old_connections
from django.test import RequestFactory, override_settings

from portal.fastlane import FastLane, FastLaneHandler, fast_routes
from portal.wsgi import application
from tests.certificates.factories import CertificateFactory
from tests.certificates.factories_lookup import fresh_rate_limits, signed_path  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


@contextlib.contextmanager
def keeping_the_test_transaction():
    """WSGI handlers close "old" connections when a request starts and ends, which would end the test's
    transaction; Django's test client disconnects the same receiver."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def call(app, path: str, method: str = "GET", **headers):
    """Calls a WSGI application in-process; returns (status code, headers dict, body bytes)."""
    query = ""
    if "?" in path:
        path, query = path.split("?", 1)
    environ = getattr(RequestFactory(), method.lower())(path, **headers).environ
    environ["QUERY_STRING"] = query
    seen = {}

    def start_response(status, response_headers):
        seen["status"] = int(status.split()[0])
        seen["headers"] = {}
        for name, value in response_headers:
            seen["headers"].setdefault(name.lower(), value)

    with keeping_the_test_transaction():
        response = app(environ, start_response)
        body = b"".join(response)
        response.close()
    return seen["status"], seen["headers"], body


def served_by_fast_lane(path: str, method: str = "GET") -> bool:
    calls = []
    original = FastLaneHandler.__call__

    def spy(self, environ, start_response):
        calls.append(environ["PATH_INFO"])
        return original(self, environ, start_response)

    FastLaneHandler.__call__ = spy
    try:
        call(application, path, method)
    finally:
        FastLaneHandler.__call__ = original
    return bool(calls)


def without_request_id(body: bytes) -> bytes:
    return re.sub(rb"[0-9a-f]{32}", b"<id>", body)


def test_the_fast_lane_holds_exactly_the_marked_public_views():
    names = sorted(f"{':'.join(r.namespaces)}:{r.pattern.name}".lstrip(":") for r in fast_routes())
    assert names == ["certificates:api_verify", "certificates:verify"]


@pytest.mark.parametrize("variant", ["valid", "revoked", "tampered", "unknown", "api", "api-404", "api-400"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_fast_lane_answers_match_the_full_handler(variant, language):
    cert = CertificateFactory(status="revoked" if variant == "revoked" else "valid")
    if variant == "revoked":
        cert.revoked_on = cert.issue_date
        cert.save()
    path = {
        "valid": signed_path(cert),
        "revoked": signed_path(cert),
        "tampered": signed_path(cert)[:-3] + "AAA",
        "unknown": f"/certificates/verify/{cert.code[:-1]}9/?s=x",
        "api": f"/api/v1/certificates/verify?code={cert.code}&name={cert.holder_name}",
        "api-404": f"/api/v1/certificates/verify?code={cert.code}&name=李四",
        "api-400": f"/api/v1/certificates/verify?code={cert.code}",
    }[variant]
    headers = {"HTTP_COOKIE": f"django_language={language}"}  # as the navbar switch leaves it
    assert served_by_fast_lane(path)
    fast = call(application, path, **headers)
    full = call(application.main, path, **headers)
    assert fast[0] == full[0]
    assert {k: v for k, v in fast[1].items() if k != "x-request-id"} == {
        k: v for k, v in full[1].items() if k != "x-request-id"
    }
    assert without_request_id(fast[2]) == without_request_id(full[2])
    for header in ("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy"):
        assert header in fast[1]
    assert fast[1]["content-language"] == language


def test_the_verification_page_in_english_on_the_fast_lane():
    cert = CertificateFactory()
    status, headers, body = call(application, signed_path(cert), HTTP_COOKIE="django_language=en")
    assert status == 200 and headers["content-language"] == "en"
    assert b"Certificate verification" in body or b"verification" in body.lower()
    assert cert.holder_name.encode() in body


def test_a_browser_asking_for_english_gets_chinese_on_the_fast_lane():
    """Issue 29 item 13: only the language switch's cookie chooses English, not Accept-Language."""
    cert = CertificateFactory()
    status, headers, body = call(application, signed_path(cert), HTTP_ACCEPT_LANGUAGE="en")
    assert status == 200 and headers["content-language"] == "zh-hans"
    assert "Cookie" in headers["vary"]


def test_the_rate_limit_answers_a_light_chinese_page_on_the_fast_lane(settings):
    settings.CERTIFICATE_LOOKUP_RATE = "2/m"
    cert = CertificateFactory()
    with time_machine.travel("2027-03-10 10:00:00 +0800", tick=False):  # a whole minute left
        statuses = [call(application, signed_path(cert))[0] for _ in range(3)]
        assert statuses == [200, 200, 429]
        status, headers, body = call(application, signed_path(cert))
    assert status == 429 and headers["retry-after"] == "60"
    text = body.decode()
    assert "请求过于频繁" in text and "csrfmiddlewaretoken" not in text


@override_settings(ALLOWED_HOSTS=["zs.example.org"])
def test_the_host_is_checked_on_the_fast_lane_as_everywhere():
    cert = CertificateFactory()
    status, _, _ = call(application, signed_path(cert), HTTP_HOST="evil.example.com")
    assert status == 400


def test_other_methods_and_paths_go_to_the_main_handler():
    cert = CertificateFactory()
    assert not served_by_fast_lane(signed_path(cert), method="POST")
    # the main handler's CSRF check answers first, as for any POST without a token
    assert call(application, signed_path(cert), method="POST")[0] == 403
    assert not served_by_fast_lane("/certificates/lookup/")
    assert not served_by_fast_lane("/")


def test_a_fast_lane_url_resolves_to_the_same_view_in_the_main_urlconf():
    """The lane matches its own routes first: no earlier pattern of the URLconf may claim the path."""
    from django.urls import resolve

    cert = CertificateFactory()
    for path in (signed_path(cert).split("?")[0], "/api/v1/certificates/verify"):
        route = next(r for r in fast_routes() if r.regex.match(path))
        assert resolve(path).func is route.pattern.callback


def test_the_offline_page_s_folder_is_not_taken_for_a_code():
    """Issue 45: /certificates/verify/offline/ sits beside verify/<code>/; the lane must leave it (and the
    files in it) to the main handler, and a certificate code is still the lane's."""
    from django.urls import resolve

    from certificates import offline_views

    for path in ("/certificates/verify/offline/", "/certificates/verify/offline/sw.js"):
        assert not served_by_fast_lane(path)
        assert resolve(path).func.__module__ == offline_views.__name__
    assert call(application, "/certificates/verify/offline/")[0] == 200
    assert served_by_fast_lane(signed_path(CertificateFactory()))
    assert served_by_fast_lane("/certificates/verify/offlineX/")


def test_a_site_without_marked_views_serves_everything_through_the_main_handler(monkeypatch):
    monkeypatch.setattr("portal.fastlane.fast_routes", lambda: [])
    app = FastLane(application.main)
    cert = CertificateFactory()
    status, _, body = call(app, signed_path(cert))
    assert status == 200 and cert.code.encode() in body
    assert app.fast() is None
