"""In a real Chromium: a visitor looks a certificate up by code and name, opens the verification URL of
its QR code, and downloads the PAdES-signed e-certificate after giving the full ID number."""

from pathlib import Path

import pytest
from django.core.cache import cache

from certificates import offline, pdf_signing, printing
from certificates.urls_for import verification_url
from tests.certificates.factories import CertificateFactory, id_number
from tests.certificates.factories_lookup import signed_path
from tests.certificates.qr_decode import matrix_from_png_data_uri, matrix_from_svg, svg_from_data_uri

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_visitor_looks_up_verifies_and_downloads(live_server, page, settings, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    cache.clear()
    settings.PORTAL_PUBLIC_URL = live_server.url
    settings.CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS = 0
    cert = CertificateFactory(holder_name="王芳", sex="F", id_number=id_number(77, birth="19920315"))

    # 1. Look the certificate up by code and name: the ID number is masked.
    page.goto(live_server.url + "/certificates/lookup/")
    form = page.get_by_test_id("lookup-by-code")
    form.locator("input[name=code]").fill(cert.code)
    form.locator("input[name=name]").fill("王芳")
    form.locator("button[type=submit]").click()
    result = page.get_by_test_id("lookup-certificate")
    result.wait_for()
    assert page.get_by_test_id("field-code").inner_text() == cert.code
    assert (
        page.get_by_test_id("field-id").inner_text() == cert.id_number[:6] + "********" + cert.id_number[-4:]
    )
    assert cert.id_number not in page.content()
    assert "有效" in page.get_by_test_id("field-status").inner_text()
    page.screenshot(path=str(ARTIFACTS / "certificates-lookup-result.png"), full_page=True)

    # 2. The QR code shown is the one printed on the certificate, and it encodes the verification link.
    link = page.get_by_test_id("verification-link").get_attribute("href")
    assert link == verification_url(cert) and "?s=" in link
    qr_on_page = page.get_by_test_id("qr").get_attribute("src")
    assert qr_on_page == printing.qr_data_uri(offline.qr_text(cert))  # issue 45: the link, "#", the payload
    assert offline.qr_text(cert).startswith(link + "#JNDJ1:")
    # what the PDF template prints: the same code as a PNG (issue 42 item 2), module for module
    printed = matrix_from_png_data_uri(printing.page_context(cert)["qr"])
    assert printed == matrix_from_svg(svg_from_data_uri(qr_on_page))

    # 3. Open the verification URL as a phone would after scanning it.
    page.goto(link)
    verdict = page.get_by_test_id("verify-result")
    assert verdict.get_attribute("data-outcome") == "valid"
    assert "该证书有效" in verdict.inner_text()
    assert "王芳" in page.content()
    page.screenshot(path=str(ARTIFACTS / "certificates-verify-valid.png"), full_page=True)

    # A tampered link reads "does not match the record".
    page.goto(link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
    assert page.get_by_test_id("verify-result").get_attribute("data-outcome") == "mismatch"
    assert "证书信息与登记记录不符" in page.get_by_test_id("verify-result").inner_text()
    page.screenshot(path=str(ARTIFACTS / "certificates-verify-mismatch.png"), full_page=True)

    # 4. Back to the lookup: a wrong ID number is refused, the full one downloads the signed PDF.
    page.goto(live_server.url + "/certificates/lookup/")
    form = page.get_by_test_id("lookup-by-code")
    form.locator("input[name=code]").fill(cert.code)
    form.locator("input[name=name]").fill("王芳")
    form.locator("button[type=submit]").click()
    download_form = page.get_by_test_id("download-form")
    download_form.locator("input[name=id_number]").fill(id_number(78))
    download_form.locator("button[type=submit]").click()
    assert "身份证号码与证书登记信息不符" in page.get_by_test_id("download-error").inner_text()
    download_form = page.get_by_test_id("download-form")
    download_form.locator("input[name=id_number]").fill(cert.id_number)
    with page.expect_download() as info:
        download_form.locator("button[type=submit]").click()
    download = info.value
    assert download.suggested_filename == f"{cert.code}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"%PDF")
    report = pdf_signing.check_pdf(data)
    assert report.ok and report.trusted

    # 5. The About page publishes the key; the API is documented on a page of its own.
    page.goto(live_server.url + "/certificates/about/")
    assert page.get_by_test_id("public-key").inner_text().strip()
    page.screenshot(path=str(ARTIFACTS / "certificates-about.png"), full_page=True)
    page.goto(live_server.url + "/api/docs")
    assert page.get_by_test_id("operation").count() == 2  # by code, and by document (issue 43)
    page.screenshot(path=str(ARTIFACTS / "certificates-api-docs.png"), full_page=True)


def test_centre_staff_revoke_and_read_the_lookup_log(live_server, page, settings, carol):
    ARTIFACTS.mkdir(exist_ok=True)
    cache.clear()
    settings.CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS = 0
    cert = CertificateFactory(holder_name="赵敏")
    page.goto(live_server.url + signed_path(cert))  # one verification, logged

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name="证书管理").first.click()
    page.get_by_test_id("staff-certificates").wait_for()
    page.get_by_role("link", name=cert.code).click()
    form = page.get_by_test_id("revoke-form")
    form.locator("textarea[name=reason]").fill("经查实弄虚作假取得证书")
    form.locator("button[type=submit]").click()  # not yet: the confirmation box is required
    form.get_by_label("确认撤销该证书").check()
    form.locator("button[type=submit]").click()
    page.get_by_test_id("status-revoked").wait_for()
    assert "经查实弄虚作假取得证书" in page.get_by_test_id("revoked-reason").inner_text()
    page.screenshot(path=str(ARTIFACTS / "certificates-staff-revoked.png"), full_page=True)

    page.get_by_role("link", name="证书管理").first.click()
    page.get_by_role("link", name="查询统计").click()
    counts = page.get_by_test_id("daily-counts")
    counts.wait_for()
    assert "1" in counts.locator("tbody tr").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "certificates-staff-stats.png"), full_page=True)
    page.get_by_role("link", name="导出证书数据").first.click()
    page.get_by_test_id("export-form").wait_for()
    page.screenshot(path=str(ARTIFACTS / "certificates-staff-export.png"), full_page=True)
