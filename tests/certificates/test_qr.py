"""The QR code printed on a certificate still reads as its verification URL, now that the data mask is
fixed (certificates.printing.qr_code) and the PDF prints it as a PNG of one pixel per module (issue 42 item
2, certificates.printing.qr_png_data_uri). Decoded by tests/certificates/qr_decode.py, a reader independent
of segno's encoder (format information, unmasking, Reed-Solomon check, segments), from the HTML the PDF was
rendered from and from the image the PDF holds."""

import html as html_lib
import io
import re

import pytest
import segno
from pypdf import PdfReader
from pypdf.generic import ContentStream

from certificates import constants, offline, printing
from certificates.urls_for import verification_url
from tests.certificates.factories import CertificateFactory
from tests.certificates.qr_decode import (
    QRDecodeError,
    decode_matrix,
    decode_png_data_uri,
    decode_svg_data_uri,
    matrix_from_image,
    matrix_from_png_data_uri,
    matrix_from_svg,
    svg_from_data_uri,
)

pytestmark = pytest.mark.django_db


def printed_qr_uris(html: str) -> list[str]:
    """The QR images of the HTML the PDF was rendered from, in page order."""
    return [html_lib.unescape(src) for src in re.findall(r'<img class="qr" src="([^"]+)"', html)]


def pdf_qr_matrices(pdf: bytes) -> list[list[list[list[bool]]]]:
    """Per page of the PDF, the modules of every QR-sized image the page draws (a square image XObject of
    21..177 pixels a side, one pixel per module), read from the PDF's own image data."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        drawn = {
            operands[0].lstrip("/")
            for operands, operator in ContentStream(page.get_contents(), page.pdf).operations
            if operator == b"Do"
        }
        found = []
        for image in page.images:
            if image.name.rsplit(".", 1)[0] not in drawn:
                continue
            width, height = image.image.size
            if width == height and 21 <= width <= 177 and (width - 17) % 4 == 0:
                found.append(matrix_from_image(image.image))
        pages.append(found)
    return pages


def test_printed_qr_decodes_to_the_verification_url():
    certificate = CertificateFactory(holder_name="欧阳晓燕")
    pdf, html = printing.render_certificates([certificate])
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    [uri] = printed_qr_uris(html)
    decoded = decode_png_data_uri(uri)
    # issue 45: the link, then the signed offline payload after "#"
    assert decoded.text == offline.qr_text(certificate)
    link, payload = decoded.text.split("#")
    assert link == verification_url(certificate)
    assert "?s=" in link and certificate.code in link
    assert offline.decode(payload).code == certificate.code
    assert decoded.mask == constants.QR_MASK
    assert decoded.error in ("M", "Q", "H")  # at least the level asked for (segno may raise it)
    # and the modules are exactly segno's for that URL
    expected = [[bool(v) for v in row] for row in printing.qr_code(decoded.text).matrix]
    assert matrix_from_png_data_uri(uri) == expected
    # and the PDF holds that image: its page draws exactly these modules
    assert pdf_qr_matrices(pdf) == [[expected]]


def test_the_pdf_s_qr_images_decode_page_by_page():
    """Read from the printed PDF alone (not its HTML): each page of a batch draws one QR image, decoding to
    its own certificate's text."""
    certificates = [CertificateFactory(), CertificateFactory(), CertificateFactory()]
    pdf, _html = printing.render_certificates(certificates)
    pages = pdf_qr_matrices(pdf)
    assert [len(found) for found in pages] == [1, 1, 1]
    assert [decode_matrix(found[0]).text for found in pages] == [offline.qr_text(c) for c in certificates]


def test_the_lookup_page_s_svg_and_the_pdf_s_png_carry_the_same_modules():
    """The lookup result page shows the code as SVG (printing.qr_data_uri), the PDF prints it as a PNG
    (printing.page_context): one code, module for module."""
    certificate = CertificateFactory()
    text = offline.qr_text(certificate)
    svg_modules = matrix_from_svg(svg_from_data_uri(printing.qr_data_uri(text)))
    assert matrix_from_png_data_uri(printing.page_context(certificate)["qr"]) == svg_modules
    assert decode_matrix(svg_modules).text == text


def test_each_page_of_a_batch_carries_its_own_certificate_url():
    certificates = [CertificateFactory(), CertificateFactory(revoked=True), CertificateFactory()]
    _pdf, html = printing.render_certificates(certificates)
    decoded = [decode_png_data_uri(uri).text for uri in printed_qr_uris(html)]
    assert [text.split("#")[0] for text in decoded] == [verification_url(c) for c in certificates]
    assert [offline.decode(offline.payload_of(text)).code for text in decoded] == [
        c.code for c in certificates
    ]
    assert len(set(decoded)) == 3


@pytest.mark.parametrize("mask", range(8))
def test_any_mask_reads_as_the_same_url(mask):
    """Why fixing the mask is safe: the mask number travels in the format information."""
    url = verification_url(CertificateFactory())
    code = segno.make(url, error=constants.QR_ERROR_LEVEL, mask=mask)
    decoded = decode_svg_data_uri(code.svg_data_uri(border=0, omitsize=True))
    assert (decoded.text, decoded.mask) == (url, mask)


def test_the_reader_refuses_a_damaged_code():
    """The decoder is not vacuous: one flipped data module fails the Reed-Solomon check, a flipped
    format module fails the format information check."""
    certificate = CertificateFactory()
    modules = [[bool(v) for v in row] for row in printing.qr_code(verification_url(certificate)).matrix]
    size = len(modules)
    data_flipped = [row[:] for row in modules]
    data_flipped[size - 1][size - 1] = not data_flipped[size - 1][size - 1]  # first data bit
    with pytest.raises(QRDecodeError, match="error correction"):
        decode_matrix(data_flipped)
    format_flipped = [row[:] for row in modules]
    format_flipped[8][0] = not format_flipped[8][0]
    with pytest.raises(QRDecodeError, match="format information"):
        decode_matrix(format_flipped)


def test_the_printed_qr_carries_the_portal_public_address(settings):
    """The QR code sends a scanner to the portal's public address (settings.PORTAL_PUBLIC_URL), path
    prefix included, not to the development server."""
    settings.PORTAL_PUBLIC_URL = "https://zs.example.org/jineng/"
    certificate = CertificateFactory()
    _pdf, html = printing.render_certificates([certificate])
    [uri] = printed_qr_uris(html)
    text = decode_png_data_uri(uri).text
    assert text.startswith(f"https://zs.example.org/jineng/certificates/verify/{certificate.code}/?s=")
    assert "127.0.0.1" not in html
