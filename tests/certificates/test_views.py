"""Batch pages, status endpoint, downloads and the placeholder verification page: who may see what.

alice (applicant of institution A) owns the batch; bob (institution B) gets 404; carol (centre) and
dave (bureau) see everything; erin (expert) gets 403; anonymous visitors go to the login page."""

import json

import pytest
from django.urls import reverse

from certificates import issuance
from certificates.models import Certificate, IssuanceBatch
from tests.certificates.factories import CertificateFactory, OccupationFactory, batch, candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_batch(alice):
    chef = OccupationFactory(chef=True)
    b = batch(alice.institution, [candidate(n, chef) for n in range(3)], actor=alice, title="第一期")
    issuance.run_batch(b.pk)
    b.refresh_from_db()
    return b


def urls(b):
    code = b.items.filter(certificate__isnull=False).first().certificate.code
    return [
        reverse("certificates:batch_detail", args=[b.pk]),
        reverse("certificates:batch_status", args=[b.pk]),
        reverse("certificates:batch_pdf", args=[b.pk]),
        reverse("certificates:certificate_pdf", args=[code]),
    ]


def test_owner_sees_list_page_status_and_downloads(client, alice, finished_batch):
    client.force_login(alice)
    response = client.get(reverse("certificates:batch_list"))
    assert response.status_code == 200 and "第一期" in response.content.decode()
    detail, status, batch_pdf, one_pdf = urls(finished_batch)
    page = client.get(detail).content.decode()
    assert "签发报告" in page and "本批次签发证书 3 本" in page and 'data-over="1"' in page
    assert "120101********" in page and "120101199001010005" not in page  # ID numbers masked
    data = client.get(status).json()
    assert data == {
        "status": "finished",
        "status_label": "已完成",
        "total": 3,
        "issued": 3,
        "existing": 0,
        "refused": 0,
        "done": 3,
        "percent": 100,
        "over": True,
        "pdf_url": batch_pdf,
        "error": "",
    }
    response = client.get(batch_pdf)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    response = client.get(one_pdf)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    assert 'filename="S000012011001263000001.pdf"' in response["Content-Disposition"]


def test_other_institution_gets_404(client, bob, finished_batch):
    client.force_login(bob)
    for url in urls(finished_batch):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("certificates:batch_resume", args=[finished_batch.pk])).status_code == 404
    assert "第一期" not in client.get(reverse("certificates:batch_list")).content.decode()


@pytest.mark.parametrize("person", ["carol", "dave"])
def test_centre_and_bureau_see_every_batch(client, request, person, finished_batch):
    client.force_login(request.getfixturevalue(person))
    for url in urls(finished_batch):
        assert client.get(url).status_code == 200, url


def test_expert_forbidden_and_anonymous_sent_to_login(client, erin, finished_batch):
    for url in urls(finished_batch):
        assert client.get(url).status_code == 302
    client.force_login(erin)
    for url in urls(finished_batch):
        assert client.get(url).status_code == 403, url


def test_resume_is_post_only_and_finishes_a_stopped_batch(client, alice, django_capture_on_commit_callbacks):
    chef = OccupationFactory(chef=True)
    b = batch(alice.institution, [candidate(n, chef) for n in range(3)])
    issuance.issue_next_item(b)  # the worker died after one candidate
    url = reverse("certificates:batch_resume", args=[b.pk])
    client.force_login(alice)
    response = client.get(url)  # a reload: back to the batch, nothing resumed
    assert response.status_code == 302 and response["Location"] == reverse(
        "certificates:batch_detail", args=[b.pk]
    )
    detail = client.get(reverse("certificates:batch_detail", args=[b.pk])).content.decode()
    assert 'data-over="0"' in detail and "继续签发" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)  # eager Celery: the task runs at once
    assert "已重新提交签发任务" in response.content.decode()
    b.refresh_from_db()
    assert b.status == IssuanceBatch.Status.FINISHED and Certificate.objects.count() == 3


def test_batch_pdf_not_printed_yet_is_404(client, alice):
    chef = OccupationFactory(chef=True)
    b = batch(alice.institution, [candidate(0, chef)])
    client.force_login(alice)
    assert client.get(reverse("certificates:batch_pdf", args=[b.pk])).status_code == 404
    assert client.get(reverse("certificates:batch_status", args=[b.pk])).json()["pdf_url"] == ""


def test_batch_list_queries_do_not_grow(client, carol, django_assert_max_num_queries):
    chef = OccupationFactory(chef=True)
    for n in range(12):
        batch(candidates=[candidate(n, chef)])
    client.force_login(carol)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("certificates:batch_list"))
    assert response.content.decode().count("certificates/batches/") >= 12


def test_batch_page_queries_do_not_grow(client, carol, finished_batch, django_assert_max_num_queries):
    client.force_login(carol)
    with django_assert_max_num_queries(9):
        client.get(reverse("certificates:batch_detail", args=[finished_batch.pk]))


def test_batch_list_search(client, carol, finished_batch):
    client.force_login(carol)
    assert "第一期" in client.get(reverse("certificates:batch_list"), {"q": "第一"}).content.decode()
    assert "第一期" not in client.get(reverse("certificates:batch_list"), {"q": "没有"}).content.decode()


def test_verification_link_says_valid_revoked_or_unknown(client):
    # The QR link carries a signature (tests/certificates/test_signing.py); Certificates I's placeholder
    # page, which showed the holder's name from the code alone, is gone (no view, no template).
    from tests.certificates.factories_lookup import signed_path

    valid = CertificateFactory()
    revoked = CertificateFactory(revoked=True)
    page = client.get(signed_path(valid))
    assert page.status_code == 200 and "该证书有效" in page.content.decode()
    assert valid.id_number not in page.content.decode()  # masked
    assert "撤销" in client.get(signed_path(revoked)).content.decode()
    assert client.get(reverse("certificates:verify", args=["S000012011001263999999"])).status_code == 404
    # The code alone (no signature) shows nothing, not even for an existing certificate.
    unsigned = client.get(reverse("certificates:verify", args=[valid.code]))
    assert unsigned.status_code == 404 and valid.holder_name not in unsigned.content.decode()


def test_placeholder_verification_view_and_template_are_gone():
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    from certificates import views

    assert not hasattr(views, "verify")
    with pytest.raises(TemplateDoesNotExist):
        get_template("certificates/verify.html")


def test_certificate_pdf_stays_chinese_for_an_english_reader(client, alice, finished_batch):
    from io import BytesIO

    from pypdf import PdfReader

    client.force_login(alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    code = finished_batch.items.first().certificate.code
    response = client.get(reverse("certificates:certificate_pdf", args=[code]))
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "职业技能等级证书" in text
    status = client.get(reverse("certificates:batch_status", args=[finished_batch.pk]))
    assert json.loads(status.content)["status_label"] == "Finished"


@pytest.mark.parametrize(
    "model", ["certificate", "certificateserialcounter", "issuancebatch", "issuanceitem"]
)
def test_admin_lists_and_searches_every_model(client, carol, finished_batch, model):
    # centre staff read certificates in the admin (0002_grants gives them the view permission)
    client.force_login(carol)
    url = reverse(f"admin:certificates_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "011001"}).status_code == 200
    from django.apps import apps

    obj = apps.get_model("certificates", model).objects.first()
    assert client.get(reverse(f"admin:certificates_{model}_change", args=[obj.pk])).status_code == 200


def test_bob_cannot_use_the_admin(client, bob):
    client.force_login(bob)
    assert client.get(reverse("admin:certificates_certificate_changelist")).status_code == 302
