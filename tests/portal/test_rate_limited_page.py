"""Issue 29 item 11b: a refused client is told how long to wait, on the page and in Retry-After: the
time left of the limiter's current window (portal.ratelimit.seconds_left)."""

import pytest
import time_machine
from django.core.cache import cache
from django.utils import translation

from portal import ratelimit
from portal.wsgi import application
from tests.certificates.factories import CertificateFactory
from tests.certificates.factories_lookup import signed_path
from tests.portal.test_fastlane import call

# 15 s into a minute, 40 min into an hour (Asia/Shanghai is a whole number of hours from UTC)
FROZEN = "2027-03-10 10:40:15 +0800"


@pytest.fixture
def frozen():
    cache.clear()
    with time_machine.travel(FROZEN, tick=False):
        yield
    cache.clear()


def test_seconds_left_is_the_rest_of_the_window(frozen):
    assert ratelimit.seconds_left("5/m") == 45
    assert ratelimit.seconds_left("5/h") == 19 * 60 + 45
    assert ratelimit.seconds_left("5/s") == 1


def test_the_wait_in_words():
    with translation.override("zh-hans"):
        assert [ratelimit.wait_text(n) for n in (45, 60, 61, 3600, 3601)] == [
            "45 秒",
            "1 分钟",
            "2 分钟",
            "1 小时",
            "2 小时",
        ]


@pytest.mark.django_db
def test_a_limited_page_says_how_long_to_wait(client, settings, frozen):
    settings.FILING_DIRECTORY_RATE = "1/m"
    assert client.get("/filings/directory/").status_code == 200
    refused = client.get("/filings/directory/")
    assert refused.status_code == 429 and refused["Retry-After"] == "45"
    assert "您的查询过于频繁，请 45 秒后再试。" in refused.content.decode()


@pytest.mark.django_db
def test_the_certificate_lookup_and_its_fast_lane_say_it_too(client, settings, frozen):
    settings.CERTIFICATE_LOOKUP_RATE = "1/h"
    cert = CertificateFactory()
    data = {"by": "code", "code": cert.code, "name": cert.holder_name}
    assert client.post("/certificates/lookup/", data).status_code == 200
    refused = client.post("/certificates/lookup/", data)
    assert refused.status_code == 429 and refused["Retry-After"] == str(19 * 60 + 45)
    assert "请 20 分钟后再试。" in refused.content.decode()
    status, headers, body = call(application, signed_path(cert))
    assert status == 429 and headers["retry-after"] == str(19 * 60 + 45)
    assert "请 20 分钟后再试。" in body.decode()
    api = client.get("/api/v1/certificates/verify", {"code": cert.code, "name": cert.holder_name})
    assert api.status_code == 429 and api["Retry-After"] == str(19 * 60 + 45)
