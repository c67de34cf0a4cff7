"""In a real Chromium (issue 21): a visitor looks up a revoked certificate and sees 已撤销 with the date
and the reason and no download button; a download request sent anyway is refused with the reason; centre
staff print the copy marked 已撤销 for the file."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from certificates import pdf_signing
from certificates.models import Certificate
from tests.certificates.factories import CertificateFactory, id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REASON = "经查实冒名顶替参加认定"


def revoked_certificate() -> Certificate:
    return CertificateFactory(
        holder_name="赵敏",
        sex="F",
        id_number=id_number(88, birth="19930412"),
        issue_date=datetime.date(2026, 5, 12),
        status=Certificate.Status.REVOKED,
        revoked_on=datetime.date(2026, 9, 14),
        revoked_reason=REASON,
    )


def test_visitor_sees_a_revoked_certificate_and_cannot_download_it(live_server, page, settings):
    ARTIFACTS.mkdir(exist_ok=True)
    cache.clear()
    settings.CERTIFICATES_PUBLIC_BASE_URL = live_server.url
    settings.CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS = 0
    cert = revoked_certificate()

    # 1. The lookup says 已撤销 with the date and the reason, and offers no download.
    page.goto(live_server.url + "/certificates/lookup/")
    form = page.get_by_test_id("lookup-by-code")
    form.locator("input[name=code]").fill(cert.code)
    form.locator("input[name=name]").fill("赵敏")
    form.locator("button[type=submit]").click()
    page.get_by_test_id("lookup-certificate").wait_for()
    assert "已撤销" in page.get_by_test_id("field-status").inner_text()
    assert "2026-09-14" in page.get_by_test_id("field-status").inner_text()
    notice = page.get_by_test_id("revoked-notice")
    assert "已撤销" in notice.inner_text() and "2026-09-14" in notice.inner_text()
    assert REASON in page.get_by_test_id("revoked-reason").inner_text()
    assert page.get_by_test_id("download-form").count() == 0
    assert page.get_by_role("button", name="下载 PDF").count() == 0
    page.screenshot(path="/tmp/revoked-lookup.png", full_page=True)
    page.screenshot(path=str(ARTIFACTS / "certificates-lookup-revoked.png"), full_page=True)

    # 2. A download request sent anyway (code, name and the full ID number, with the page's CSRF token)
    # is refused: 410, a Chinese page with the date and the reason, no PDF.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    with page.expect_response(lambda r: r.url.endswith("/certificates/lookup/download/")) as answer:
        page.evaluate(
            """([code, name, idNumber, token]) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = "/certificates/lookup/download/";
                for (const [key, value] of Object.entries({
                    code, name, id_number: idNumber, csrfmiddlewaretoken: token,
                })) {
                    const input = document.createElement("input");
                    input.type = "hidden";
                    input.name = key;
                    input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }""",
            [cert.code, "赵敏", cert.id_number, token],
        )
    response = answer.value
    assert response.status == 410
    assert response.headers["content-type"].startswith("text/html")
    page.get_by_test_id("download-error").wait_for()
    assert "已撤销的证书不能下载电子证书" in page.get_by_test_id("download-error").inner_text()
    assert REASON in page.get_by_test_id("revoked-reason").inner_text()
    assert "2026-09-14" in page.get_by_test_id("revoked-notice").inner_text()
    page.screenshot(path="/tmp/revoked-download-refused.png", full_page=True)

    # The same request from outside the page (no browser form) gets no PDF either.
    direct = page.request.post(
        live_server.url + "/certificates/lookup/download/",
        form={"code": cert.code, "name": "赵敏", "id_number": cert.id_number, "csrfmiddlewaretoken": token},
    )
    assert direct.status == 410 and not direct.body().startswith(b"%PDF")
    assert REASON in direct.text()


def test_centre_staff_print_the_copy_marked_revoked(live_server, page, settings, carol, tmp_path):
    cache.clear()
    settings.CERTIFICATES_PUBLIC_BASE_URL = live_server.url
    cert = revoked_certificate()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")
    page.goto(live_server.url + f"/certificates/lookup/staff/c/{cert.code}/")
    with page.expect_download() as info:
        page.get_by_test_id("revoked-copy").click()
    download = info.value
    assert download.suggested_filename == f"{cert.code}-revoked.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text().replace(" ", "")
    assert "已撤销" in text and "撤销日期：2026年9月14日" in text
    assert not pdf_signing.check_pdf(data).signed
