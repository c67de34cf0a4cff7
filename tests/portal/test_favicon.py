"""Issue 29 item 11d: /favicon.ico was a 404 on every first visit; the portal has an icon of its own
(static/portal/favicon.svg, no CDN), linked from every page and answered at /favicon.ico."""

from pathlib import Path

import pytest
from django.templatetags.static import static

from tests.certificates.factories import CertificateFactory
from tests.certificates.factories_lookup import fresh_rate_limits, signed_path  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def test_the_icon_is_a_small_svg_of_our_own():
    icon = ROOT / "static" / "portal" / "favicon.svg"
    text = icon.read_text(encoding="utf-8")
    assert text.startswith("<svg") and "http://www.w3.org/2000/svg" in text
    assert "href" not in text and icon.stat().st_size < 2048  # nothing fetched from elsewhere


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == static("portal/favicon.svg")


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_rate_limits")
def test_pages_link_the_icon(client):
    link = f'<link rel="icon" href="{static("portal/favicon.svg")}" type="image/svg+xml">'
    assert link in client.get("/").content.decode()
    assert link in client.get(signed_path(CertificateFactory())).content.decode()  # the QR page too
