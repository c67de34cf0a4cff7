"""The shape of the certificate PDF that keeps a batch fast (issue 42 item 2; the times are measured by
`bench/certificates.py pdf`, never asserted here): the QR code is one image of one pixel per module a page,
drawn sharp (/Interpolate false), not a vector path WeasyPrint parses and draws run by run; and the page is
still what it was: text as text, tagged, the QR code where it was."""

import gc
import io

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from certificates import offline, printing
from tests.certificates.factories import CertificateFactory
from tests.certificates.qr_decode import decode_matrix, matrix_from_image

pytestmark = pytest.mark.django_db


def drawn_images(page):
    """The image XObjects the page's content stream draws (by name), resolved."""
    names = [
        operands[0]
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations
        if operator == b"Do"
    ]
    xobjects = page["/Resources"]["/XObject"]
    return [xobjects[name].get_object() for name in names]


def test_each_page_draws_its_qr_code_as_one_sharp_image_of_its_modules():
    certificates = [CertificateFactory(holder_name="欧阳晓燕"), CertificateFactory()]
    pdf, _html = printing.render_certificates(certificates)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    for page, certificate in zip(reader.pages, certificates, strict=True):
        size = len(printing.qr_code(offline.qr_text(certificate)).matrix)
        qr = [image for image in drawn_images(page) if (image["/Width"], image["/Height"]) == (size, size)]
        assert len(qr) == 1
        # not interpolated: a module prints as a square, not a blur between pixels
        assert qr[0]["/Interpolate"] is False or str(qr[0]["/Interpolate"]).lower() == "false"
        assert qr[0]["/ColorSpace"] == "/DeviceGray"
        # the page's content stream is small: no path of a thousand QR strokes (it was about 40 KB)
        assert len(page.get_contents().get_data()) < 12_000


def test_the_page_draws_the_qr_image_at_30_mm_where_the_svg_was():
    """The image is placed by the same CSS box as the SVG was: 30 x 30 mm (85.04 pt), right column."""
    certificate = CertificateFactory()
    pdf, _html = printing.render_certificates([certificate])
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    size = len(printing.qr_code(offline.qr_text(certificate)).matrix)
    placed = []

    def visitor(operator, operands, cm, tm):
        if operator == b"Do":
            image = page["/Resources"]["/XObject"][operands[0]].get_object()
            if (image["/Width"], image["/Height"]) == (size, size):
                placed.append([float(v) for v in cm])

    page.extract_text(visitor_operand_before=visitor)
    [(a, b, c, d, e, f)] = placed
    assert (round(a, 2), round(abs(d), 2), b, c) == (85.04, 85.04, 0, 0)
    assert 842 / 2 < e < 842 - 85  # the right half of the A4 landscape sheet


def test_the_text_stays_text_and_the_pdf_stays_tagged():
    certificate = CertificateFactory(holder_name="欧阳晓燕")
    pdf, _html = printing.render_certificates([certificate])
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(reader.pages[0].extract_text().split())
    assert "欧阳晓燕" in text and certificate.code in text
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    # the QR image is a figure with its alternative text in the structure tree, as the SVG was
    figures = [
        element.get("/Alt")
        for element in structure_elements(root["/StructTreeRoot"])
        if element.get("/S") == "/Figure"
    ]
    assert "证书核验二维码" in figures and "持证人照片" in figures


def structure_elements(node):
    """Every structure element under a structure tree node, depth first."""
    node = node.get_object()
    kids = node.get("/K", [])
    if not isinstance(kids, list):
        kids = [kids]
    for kid in kids:
        kid = kid.get_object()
        if hasattr(kid, "get") and "/S" in kid:
            yield kid
            yield from structure_elements(kid)


def test_the_image_reads_back_as_the_code():
    certificate = CertificateFactory()
    pdf, _html = printing.render_certificates([certificate])
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    size = len(printing.qr_code(offline.qr_text(certificate)).matrix)
    [qr] = [image for image in page.images if image.image.size == (size, size)]
    assert decode_matrix(matrix_from_image(qr.image)).text == offline.qr_text(certificate)


def boxes_alive() -> int:
    from weasyprint.formatting_structure.boxes import Box

    return sum(1 for obj in gc.get_objects() if isinstance(obj, Box))


def test_the_collector_is_paused_while_parts_render_and_the_parts_layout_is_freed(monkeypatch):
    """Issue 42 item 2: no automatic collection walks a part's layout while it renders (portal/gcpause.py),
    and the layout's reference cycles are freed after each part by the explicit collection, not left for
    whenever the collector next runs: with the collector off around the call, no layout box survives."""
    from portal import pdf as portal_pdf

    seen = []
    original = portal_pdf.html_to_pdf

    def recording(html):
        seen.append(gc.isenabled())
        return original(html)

    monkeypatch.setattr(portal_pdf, "html_to_pdf", recording)
    monkeypatch.setattr(printing, "PDF_PART_PAGES", 2)
    certificates = [CertificateFactory() for _ in range(3)]
    assert gc.isenabled()
    printing.render_certificates(certificates)
    assert seen == [False, False]  # two parts, each with the collector paused
    assert gc.isenabled()  # and on again after
    gc.collect()
    gc.disable()
    try:
        printing.render_certificates(certificates)
        assert boxes_alive() == 0
    finally:
        gc.enable()
