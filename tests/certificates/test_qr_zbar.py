"""Issue 45 acceptance: the printed QR code, now carrying the signed offline payload after the link, still
decodes with zbarimg (Debian's zbar-tools, an independent reader) from the PDF as printed, rendered at
300 dpi by pdftoppm, with the code at its 30 x 30 mm (《关于开展技工院校职业技能等级认定工作的通知》（辽人社〔2020〕32号）
附件6 3). Skipped, saying so, where zbarimg or pdftoppm is not installed (`make sysdeps-test` installs both)."""

import shutil
import subprocess

import pytest

from certificates import constants, offline, printing
from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db

TOOLS = [shutil.which("zbarimg"), shutil.which("pdftoppm")]
needs_tools = pytest.mark.skipif(
    not all(TOOLS), reason="zbarimg (zbar-tools) or pdftoppm (poppler-utils) missing"
)

# The most the QR text may carry and still print at QR_MM on a 300 dpi printer with at least 4 dots per
# module: version 17 (85 modules) at error level M holds 511 bytes; 30 mm / 85 = 0.35 mm = 4.2 dots.
MAX_QR_TEXT = 511


def zbar(pdf: bytes, tmp_path, dpi: int = 300) -> list[str]:
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(tmp_path / "c.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    found = []
    for image in sorted(tmp_path.glob("page*.png")):
        out = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
            capture_output=True,
            timeout=60,
        )
        found += out.stdout.decode("utf-8").splitlines()
    return found


@needs_tools
def test_zbarimg_reads_the_link_and_the_payload_from_the_printed_pdf(tmp_path):
    certificate = CertificateFactory(holder_name="欧阳晓燕")
    pdf, _html = printing.render_certificates([certificate])
    [text] = zbar(pdf, tmp_path)
    assert text == offline.qr_text(certificate)
    fields = offline.decode(offline.payload_of(text))
    assert (fields.code, fields.name) == (certificate.code, "欧阳晓燕")
    assert len(text.encode()) <= MAX_QR_TEXT
    assert printing.qr_code(text).version <= 17
    assert constants.QR_MM == 30


@needs_tools
def test_a_passport_holder_s_longer_payload_still_reads(tmp_path):
    certificate = CertificateFactory(
        document_kind="passport", id_number="USA123456789012", holder_name="JOHN SMITH"
    )
    pdf, _html = printing.render_certificates([certificate])
    assert zbar(pdf, tmp_path) == [offline.qr_text(certificate)]


@needs_tools
def test_the_reader_is_not_vacuous(tmp_path):
    """A page without a code reads as nothing."""
    from portal.pdf import html_to_pdf

    assert zbar(html_to_pdf("<html><body><p>没有二维码</p></body></html>"), tmp_path) == []
