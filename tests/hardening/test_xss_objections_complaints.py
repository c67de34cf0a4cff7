"""Markup typed by the public into an objection (异议, on the publicity page) or a complaint (投诉举报)
comes back escaped wherever it is shown (issue 22, "Not reached by the review"): the public pages that
echo a refused form, and the staff pages (complaint queue and detail, the filing page with its
objections, the publicity queue). The raw markup is absent and its escaped text present; no
``javascript:`` value ever lands in an href. tests/journeys/test_xss_objections_complaints.py checks the
same pages in Chromium: no dialog fires."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from filings.constants import State
from tests.filings.factories import in_state

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
PAYLOAD = f"{SCRIPT} {IMG} {JS_URL}"
RAW = ("<script>alert(1)", "<img src=x", 'href="javascript:', "href='javascript:", "onerror=alert(1)>")
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def hostile_fields():
    """Each text field of both forms carries a payload (within the field's length)."""
    return {"name": IMG[:50], "contact": JS_URL, "text": PAYLOAD}


def assert_escaped(html: str, where: str, shown=(ESCAPED_SCRIPT, ESCAPED_IMG)):
    for raw in RAW:
        assert raw not in html, f"{where}: raw {raw!r}"
    for escaped in shown:
        assert escaped in html, f"{where}: {escaped!r} not shown"


@pytest.fixture(autouse=True)
def generous_rate_limits(settings):
    cache.clear()
    settings.FILING_OBJECTION_RATE = settings.FILING_COMPLAINT_RATE = "1000/m"
    yield
    cache.clear()


@pytest.fixture
def stored(client):
    """An objection and a complaint submitted through the public forms with the payloads."""
    from filings.models import Complaint, Objection

    publicity = in_state(State.IN_PUBLICITY, name="天津市公示测试学校")
    filed = in_state(State.FILED)
    response = client.post(reverse("filings:objection", args=[publicity.pk]), hostile_fields())
    assert response.status_code == 302
    response = client.post(
        reverse("filings:complaint_new"),
        {**hostile_fields(), "filing": str(filed.pk), "institution_name": SCRIPT},
    )
    assert response.status_code == 302
    objection = Objection.objects.get(filing=publicity)
    complaint = Complaint.objects.get()
    assert objection.text == PAYLOAD and complaint.text == PAYLOAD  # stored as typed
    return publicity, objection, complaint


def test_public_pages_echo_the_payload_escaped(client, stored):
    publicity, _objection, _complaint = stored
    page = client.get(reverse("filings:publicity")).content.decode()
    for raw in RAW:
        assert raw not in page
    assert "天津市公示测试学校" in page
    # A refused form (contact missing) is shown again with what was typed.
    refused = {k: v for k, v in hostile_fields().items() if k != "contact"}
    html = client.post(reverse("filings:objection", args=[publicity.pk]), refused).content.decode()
    assert_escaped(html, "objection form echo")
    html = client.post(
        reverse("filings:complaint_new"), {**refused, "institution_name": SCRIPT}
    ).content.decode()
    assert_escaped(html, "complaint form echo")


def test_staff_pages_show_the_payload_escaped(client, carol, dave, stored):
    publicity, _objection, complaint = stored
    pages = {
        "complaint queue": (reverse("filings:complaint_queue"), (ESCAPED_SCRIPT,)),  # institution_name
        "complaint detail": (reverse("filings:complaint_detail", args=[complaint.pk]), None),
        "filing detail": (reverse("filings:detail", args=[publicity.pk]), None),
        "publicity queue": (reverse("filings:queue", args=["in_publicity"]), ()),
    }
    for user in (carol, dave):
        client.force_login(user)
        for where, (path, shown) in pages.items():
            response = client.get(path)
            assert response.status_code == 200, where
            html = response.content.decode()
            if shown is None:
                assert_escaped(html, f"{where} for {user}")
                assert JS_URL in html  # shown as text, not a link
            else:
                assert_escaped(html, f"{where} for {user}", shown=shown)
