"""Complaints and reports (投诉举报, seed 001 第二十三条): public, rate-limited form; staff queue;
an outcome may open a sanction."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from filings import after_filing, complaints
from filings.constants_after import ComplaintOutcome, ComplaintState, SanctionKind
from filings.models import Complaint, Sanction
from portal.models import Notification

from .factories_after import ComplaintFactory, FiledFilingFactory

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def filed(alice):
    return FiledFilingFactory(institution=alice.institution)


def _post(client, filed, **extra):
    data = {"name": "王", "contact": "wang@example.org", "filing": filed.pk, "text": "考场替考", **extra}
    return client.post("/filings/complaints/new/", data)


def test_public_form_creates_a_complaint(client, filed, carol):
    response = client.get("/filings/complaints/new/")
    assert response.status_code == 200
    response = _post(client, filed, attachment=SimpleUploadedFile("a.png", PNG, content_type="image/png"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.filing == filed and complaint.institution_name == filed.name
    assert complaint.attachment_kind == "png" and complaint.ip_hash
    assert Notification.objects.filter(user=carol).exists()


def test_form_needs_an_institution_and_refuses_fake_attachments(client, filed):
    response = client.post("/filings/complaints/new/", {"name": "王", "contact": "x", "text": "y"})
    assert response.status_code == 200 and "请选择或填写被投诉的评价机构" in response.content.decode()
    response = _post(
        client,
        filed,
        attachment=SimpleUploadedFile("a.pdf", b"MZ\x90\x00 exe", content_type="application/pdf"),
    )
    assert response.status_code == 200
    assert not Complaint.objects.exists()


def test_free_text_institution_is_matched_when_unique(client, filed):
    client.post(
        "/filings/complaints/new/",
        {"name": "王", "contact": "x", "institution_name": filed.name, "text": "y"},
    )
    assert Complaint.objects.get().filing == filed


def test_rate_limit(client, filed, settings):
    settings.FILING_COMPLAINT_RATE = "3/h"
    codes = [_post(client, filed).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert Complaint.objects.count() == 3
    assert client.get("/filings/complaints/new/").status_code == 200  # reading the form is not limited


def test_close_with_a_sanction(filed, carol):
    complaint = ComplaintFactory(filing=filed)
    complaints.start_investigation(complaint, carol)
    closed = complaints.close(
        complaint,
        carol,
        outcome=ComplaintOutcome.FOUNDED,
        outcome_text="经核实存在替考",
        sanction_kind=SanctionKind.RECTIFICATION,
        deadline=date(2026, 7, 1),
        on=date(2026, 6, 1),
    )
    assert closed.state == ComplaintState.CLOSED
    sanction = Sanction.objects.get()
    assert sanction.complaint == closed and sanction.kind == SanctionKind.RECTIFICATION
    assert after_filing.public_status(filed, date(2026, 6, 2)) == "限期整改中"


def test_unfounded_complaint_cannot_sanction_and_only_centre_closes(filed, carol, alice, dave):
    complaint = ComplaintFactory(filing=filed)
    with pytest.raises(after_filing.WorkflowError, match="属实"):
        complaints.close(
            complaint,
            carol,
            outcome=ComplaintOutcome.UNFOUNDED,
            outcome_text="不属实",
            sanction_kind=SanctionKind.INTERVIEW,
        )
    for user in (alice, dave):
        with pytest.raises(after_filing.NotPermitted):
            complaints.close(complaint, user, outcome=ComplaintOutcome.UNFOUNDED, outcome_text="x")
    complaints.close(complaint, carol, outcome=ComplaintOutcome.UNFOUNDED, outcome_text="不属实")
    assert not Sanction.objects.exists()
    with pytest.raises(after_filing.workflow.StaleFiling):
        complaints.close(complaint, carol, outcome=ComplaintOutcome.UNFOUNDED, outcome_text="again")


def test_staff_queue_and_detail_views(client, filed, alice, carol, django_assert_max_num_queries):
    for _ in range(5):
        ComplaintFactory(filing=filed)
    client.force_login(alice)
    assert client.get("/filings/after/complaints/").status_code == 404
    assert client.get(f"/filings/after/complaints/{Complaint.objects.first().pk}/").status_code == 404
    client.force_login(carol)
    with django_assert_max_num_queries(14):
        page = client.get("/filings/after/complaints/")
    assert page.status_code == 200
    complaint = Complaint.objects.first()
    client.post(f"/filings/after/complaints/{complaint.pk}/", {"action": "investigate"})
    client.post(
        f"/filings/after/complaints/{complaint.pk}/",
        {"action": "close", "outcome": "founded", "outcome_text": "属实", "sanction_kind": "interview"},
    )
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.CLOSED
    assert Sanction.objects.get().kind == SanctionKind.INTERVIEW
