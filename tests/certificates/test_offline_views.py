"""Issue 45 items 2-3 on the server: the published keys, the signed revocation list and the offline page's
service worker. The browser side is tests/journeys/test_offline_verify.py."""

import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.cache import cache
from django.urls import reverse

from certificates import offline, offline_views, revocation, signing
from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_keys_are_published_current_first(client, settings):
    old = Ed25519PrivateKey.generate().public_key()
    settings.CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEYS = [signing.public_key_b64(old)]
    data = client.get(reverse("certificates:offline_keys")).json()
    assert [k["id"] for k in data["keys"]] == [offline.short_key_id(), offline.short_key_id(old)]
    assert data["keys"][0]["current"] and not data["keys"][1]["current"]
    assert data["keys"][0]["public"] == signing.public_key_b64()
    assert data["keys"][0]["alg"] == "Ed25519"


def test_the_revocation_list_is_signed_and_lists_revoked_certificates_only(client):
    kept = CertificateFactory()
    revoked = CertificateFactory(revoked=True)
    response = client.get(reverse("certificates:offline_revoked"))
    assert response["Cache-Control"] == "no-cache"
    body = offline.read_revocation_list(response.json())
    assert body["revoked"] == [[revoked.code, revoked.revoked_on.strftime("%Y%m%d")]]
    assert kept.code not in str(body)
    assert body["key"] == offline.short_key_id()


def test_a_changed_revocation_list_is_refused():
    CertificateFactory(revoked=True)
    document = offline.revocation_list()
    body = offline.read_revocation_list(document)
    forged = dict(body, revoked=[])
    import json

    document["body"] = offline._b64(json.dumps(forged, separators=(",", ":")).encode())
    with pytest.raises(offline.PayloadError) as refused:
        offline.read_revocation_list(document)
    assert refused.value.reason == "bad_signature"
    with pytest.raises(offline.PayloadError) as refused:
        offline.read_revocation_list({"body": "x"})
    assert refused.value.reason == "unreadable"


def test_a_revocation_reaches_the_list_within_its_cache_time(client, time_machine, carol):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC), tick=False)
    certificate = CertificateFactory()
    url = reverse("certificates:offline_revoked")
    assert offline.read_revocation_list(client.get(url).json())["revoked"] == []
    revocation.revoke(certificate, "弄虚作假取得证书", carol, on=datetime.date(2026, 12, 7))
    # the signed list is kept REVOCATION_LIST_CACHE_SECONDS: just under, the old list; at the limit, the new
    time_machine.move_to(
        datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
        + datetime.timedelta(seconds=offline_views.REVOCATION_LIST_CACHE_SECONDS - 1),
        tick=False,
    )
    assert offline.read_revocation_list(client.get(url).json())["revoked"] == []
    time_machine.move_to(
        datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
        + datetime.timedelta(seconds=offline_views.REVOCATION_LIST_CACHE_SECONDS + 1),
        tick=False,
    )
    body = offline.read_revocation_list(client.get(url).json())
    assert body["revoked"] == [[certificate.code, "20261207"]]
    assert body["issued"].startswith("2026-12-07T17:01:")  # Asia/Shanghai


def test_the_service_worker_is_served_from_the_page_s_folder(client):
    page = reverse("certificates:offline_verify")
    sw = reverse("certificates:offline_sw")
    assert sw.startswith(page)  # so that its scope covers the page
    response = client.get(sw)
    assert response["Content-Type"].startswith("text/javascript")
    assert f'const CACHE = "{offline_views.OFFLINE_CACHE_NAME}";' in response.content.decode()


def test_the_page_carries_the_keys_and_no_inline_script(client):
    response = client.get(reverse("certificates:offline_verify"))
    html = response.content.decode()
    assert offline.short_key_id() in html
    assert 'type="application/json"' in html
    assert "offline_verify" in html and "jsQR" in html
