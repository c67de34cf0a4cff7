"""Issue 21: a revoked certificate is never handed out as a valid PDF, on any path.

- the public lookup shows 已撤销 with date and reason and no download form; the download is refused
  (410, the same page) with date and reason;
- staff (centre, bureau) print a copy marked 已撤销 across the page with the date, unsigned (its QR code
  opens the verification page, which says 已撤销);
- the institution gets a page saying when and why, never a PDF;
- batch PDFs leave revoked certificates out (stored ones are dropped at revocation and printed again);
- the offline command reads a PDF signed before the revocation as revoked."""

import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from certificates import issuance, lookup, offline, pdf_signing, printing, revocation
from certificates.models import Certificate, IssuanceBatch, LookupEvent
from certificates.urls_for import verification_url
from tests.certificates.factories import CertificateFactory, OccupationFactory, batch, candidate, id_number
from tests.certificates.factories_lookup import fresh_rate_limits  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REASON = "经查实冒名顶替参加认定"
REVOKED_ON = datetime.date(2026, 9, 14)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def revoked_certificate(carol, **kwargs) -> Certificate:
    cert = CertificateFactory(issue_date=datetime.date(2026, 6, 30), **kwargs)
    return revocation.revoke(cert, REASON, carol, on=REVOKED_ON)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "")


# --- The public lookup and download ------------------------------------------------------------------


def test_the_lookup_shows_revoked_with_date_and_reason_and_no_download_form(client, carol):
    cert = revoked_certificate(carol, holder_name="赵敏", id_number=id_number(61))
    for data in (
        {"by": "code", "code": cert.code, "name": "赵敏"},
        {"by": "id", "id_number": cert.id_number, "name": "赵敏"},
    ):
        html = client.post(reverse("certificates:lookup"), data).content.decode()
        assert 'data-testid="revoked-notice"' in html
        assert "已撤销" in html and "2026-09-14" in html and REASON in html
        assert 'data-testid="download-form"' not in html and "下载 PDF" not in html


def test_a_valid_certificate_keeps_its_download_form(client):
    cert = CertificateFactory(holder_name="王芳")
    html = client.post(
        reverse("certificates:lookup"), {"by": "code", "code": cert.code, "name": "王芳"}
    ).content.decode()
    assert 'data-testid="download-form"' in html and 'data-testid="revoked-notice"' not in html


def test_the_public_download_of_a_revoked_certificate_is_refused_with_date_and_reason(client, carol):
    cert = revoked_certificate(carol, holder_name="赵敏")
    response = client.post(
        reverse("certificates:lookup_download"),
        {"code": cert.code, "name": "赵敏", "id_number": cert.id_number},
    )
    assert response.status_code == 410
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "已撤销的证书不能下载电子证书" in html and "2026-09-14" in html and REASON in html
    assert not response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    assert LookupEvent.objects.filter(kind="download").get().outcome == LookupEvent.Outcome.REVOKED


def test_find_for_download_refuses_a_revoked_certificate(carol):
    cert = revoked_certificate(carol, holder_name="赵敏")
    with pytest.raises(lookup.CertificateRevoked) as refused:
        lookup.find_for_download(cert.code, "赵敏", cert.id_number)
    assert refused.value.certificate == cert
    assert lookup.find_for_download(cert.code, "赵六", cert.id_number) is None  # wrong name: as before


# --- The staff copy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["carol", "dave"])
def test_staff_print_a_copy_marked_revoked_and_unsigned(client, request, carol, person):
    cert = revoked_certificate(carol)
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("certificates:certificate_pdf", args=[cert.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="{cert.code}-revoked.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "已撤销" in text and "撤销日期：2026年9月14日" in text and cert.code in text
    assert "本件为已撤销证书的存档副本，不作为有效证书使用" in text
    assert not pdf_signing.check_pdf(response.content).signed  # no signature that reads as a live one


def test_the_staff_copy_qr_code_opens_the_revoked_answer_and_png(client, carol):
    cert = revoked_certificate(carol)
    data, html = printing.render_certificates([cert])
    url = verification_url(cert)
    assert printing.qr_png_data_uri(offline.qr_text(cert)) in html.replace("&amp;", "&")
    verdict = client.get(url[url.index("/certificates/") :]).content.decode()
    assert 'data-outcome="revoked"' in verdict and "2026-09-14" in verdict
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "certificate-revoked.pdf").write_bytes(data)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-singlefile",
                str(ARTIFACTS / "certificate-revoked.pdf"),
                str(ARTIFACTS / "certificate-revoked"),
            ],
            check=True,
        )
        with Image.open(ARTIFACTS / "certificate-revoked.png") as image:
            rgb = image.convert("RGB")
            width, height = rgb.size
            reds = sum(
                1
                for x in range(0, width, 2)
                for y in range(0, height, 2)
                if (lambda p: p[0] > 180 and p[1] < 150 and p[2] < 150)(rgb.getpixel((x, y)))
            )
            assert reds > 1_000, reds  # the mark covers a good part of the sheet


def test_the_staff_page_offers_the_marked_copy_only_for_a_revoked_certificate(client, carol):
    cert = revoked_certificate(carol)
    valid = CertificateFactory()
    client.force_login(carol)
    page = client.get(reverse("certificates:staff_certificate", args=[cert.code])).content.decode()
    assert 'data-testid="revoked-copy"' in page
    assert reverse("certificates:certificate_pdf", args=[cert.code]) in page
    page = client.get(reverse("certificates:staff_certificate", args=[valid.code])).content.decode()
    assert 'data-testid="revoked-copy"' not in page


def test_a_valid_certificate_still_prints_signed_with_its_qr_code():
    cert = CertificateFactory()
    data, html = printing.render_certificates([cert])
    assert pdf_signing.check_pdf(data).ok
    assert printing.qr_png_data_uri(offline.qr_text(cert)) in html.replace("&amp;", "&")
    assert "已撤销" not in pdf_text(data)


# --- The institution ---------------------------------------------------------------------------------


def test_the_institution_gets_a_page_saying_when_and_why_never_a_pdf(client, alice, carol):
    cert = revoked_certificate(carol, institution=alice.institution, holder_name="赵敏")
    client.force_login(alice)
    response = client.get(reverse("certificates:certificate_pdf", args=[cert.code]))
    assert response.status_code == 410 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "已撤销" in html and "2026-09-14" in html and REASON in html and "赵敏" in html


# --- Batch PDFs --------------------------------------------------------------------------------------


@pytest.fixture
def finished_batch(alice):
    chef = OccupationFactory(chef=True)
    b = batch(alice.institution, [candidate(n, chef) for n in range(3)], actor=alice, title="第一期")
    issuance.run_batch(b.pk)
    b.refresh_from_db()
    return b


def batch_codes(b):
    return [c.code for c in printing.batch_certificates(b)]


def download_batch(client, b) -> bytes:
    response = client.get(reverse("certificates:batch_pdf", args=[b.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_revoking_drops_the_stored_batch_pdf_and_prints_it_again_without_it(
    client, alice, carol, finished_batch, django_capture_on_commit_callbacks
):
    first, second, third = batch_codes(finished_batch)
    old_name = finished_batch.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        revocation.revoke(Certificate.objects.get(code=second), REASON, carol, on=REVOKED_ON)
    finished_batch.refresh_from_db()
    assert finished_batch.pdf  # printed again (Celery eager in tests)
    assert finished_batch.pdf.name == old_name or not default_storage.exists(old_name)
    client.force_login(alice)
    data = download_batch(client, finished_batch)
    text = pdf_text(data)
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    assert first in text and third in text and second not in text
    assert pdf_signing.check_pdf(data).ok  # the valid ones stay a signed document
    page = client.get(reverse("certificates:batch_detail", args=[finished_batch.pk])).content.decode()
    assert 'data-testid="batch-revoked"' in page and "已撤销的证书不列入整批 PDF：1 本" in page
    assert 'data-testid="item-revoked"' in page


def test_a_batch_pdf_dropped_and_not_printed_again_yet_is_printed_on_download(
    client, alice, carol, finished_batch
):
    _first, second, _third = batch_codes(finished_batch)
    revocation.revoke(Certificate.objects.get(code=second), REASON, carol)  # on_commit never runs here
    finished_batch.refresh_from_db()
    assert not finished_batch.pdf
    client.force_login(alice)
    text = pdf_text(download_batch(client, finished_batch))
    assert second not in text and "已撤销" not in text


def test_a_batch_prints_without_certificates_revoked_before(finished_batch, carol):
    codes = batch_codes(finished_batch)
    Certificate.objects.filter(code=codes[0]).update(status=Certificate.Status.REVOKED, revoked_on=REVOKED_ON)
    printing.store_batch_pdf(finished_batch)
    finished_batch.refresh_from_db()
    text = pdf_text(finished_batch.pdf.read())
    assert codes[0] not in text and codes[1] in text and codes[2] in text


def test_a_batch_with_every_certificate_revoked_keeps_no_pdf(client, alice, finished_batch):
    Certificate.objects.update(status=Certificate.Status.REVOKED, revoked_on=REVOKED_ON)
    printing.store_batch_pdf(finished_batch)
    finished_batch.refresh_from_db()
    assert not finished_batch.pdf
    client.force_login(alice)
    assert client.get(reverse("certificates:batch_pdf", args=[finished_batch.pk])).status_code == 404


def test_a_render_overtaken_by_a_revocation_is_done_again(finished_batch, monkeypatch):
    codes = batch_codes(finished_batch)
    real = printing.render_certificates
    calls = []

    def revoke_during_the_first_render(certificates):
        calls.append([c.code for c in certificates])
        if len(calls) == 1:
            Certificate.objects.filter(code=codes[1]).update(status=Certificate.Status.REVOKED)
        return real(certificates)

    monkeypatch.setattr(printing, "render_certificates", revoke_during_the_first_render)
    printing.store_batch_pdf(finished_batch)
    assert calls == [codes, [codes[0], codes[2]]]
    finished_batch.refresh_from_db()
    assert codes[1] not in pdf_text(finished_batch.pdf.read())


def test_the_reprint_task_is_idempotent(finished_batch):
    assert issuance.reprint_batch_pdf(finished_batch.pk) is False  # it has its PDF: left alone
    IssuanceBatch.objects.filter(pk=finished_batch.pk).update(pdf="")
    assert issuance.reprint_batch_pdf(finished_batch.pk) is True
    assert issuance.reprint_batch_pdf(finished_batch.pk) is False


# --- The admin and the offline command ---------------------------------------------------------------


def test_the_admin_cannot_revoke_around_the_rules():
    from certificates.admin import CertificateAdmin

    assert {"status", "revoked_reason", "revoked_on"} <= set(CertificateAdmin.readonly_fields)


def test_the_command_reads_a_pdf_signed_before_the_revocation_as_revoked(tmp_path, carol, capsys):
    cert = CertificateFactory(issue_date=datetime.date(2026, 6, 30))
    path = tmp_path / "certificate.pdf"
    path.write_bytes(printing.render_certificates([cert])[0])  # downloaded while valid
    with pytest.raises(SystemExit) as before:
        call_command("verify_certificate", str(path))
    assert before.value.code == 0
    revocation.revoke(cert, REASON, carol, on=REVOKED_ON)
    with pytest.raises(SystemExit) as after:
        call_command("verify_certificate", str(path))
    assert after.value.code == 1
    assert f"{cert.code}: REVOKED on 2026-09-14" in capsys.readouterr().out
