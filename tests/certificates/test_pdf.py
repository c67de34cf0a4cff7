"""The certificate PDF (seed 004 附件6): every printed field is text in the PDF, every glyph comes from
the Kai font (nothing fell back to another font or to tofu), the page is A4 landscape, fonts are subset
(small files), and a rendered page looks like a certificate (PNG in test-artifacts/)."""

import datetime
import html as html_lib
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from certificates import issuance, offline, printing
from certificates.models import Certificate
from tests.certificates.factories import OccupationFactory, batch, candidate

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def seal_png() -> bytes:
    from PIL import ImageDraw

    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 390, 390), outline=(200, 0, 0, 255), width=14)
    draw.regular_polygon((200, 200, 60), 5, fill=(200, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def issued(alice):
    chef = OccupationFactory(chef=True)
    welder = OccupationFactory(welder=True)
    people = [
        candidate(0, chef, 3, name="欧阳晓燕", sex="女"),
        candidate(1, welder, 4, name="钱锺书", sex="男", work_type="电焊工"),
    ] + [candidate(n, chef, 3) for n in range(2, 10)]
    b = batch(
        alice.institution,
        people,
        institution_name="天津市海河装备制造有限公司",
        issue_date=datetime.date(2026, 5, 12),
        seal=seal_png(),
    )
    issuance.run_batch(b.pk)
    b.refresh_from_db()
    return b


def fonts_of(page) -> set[str]:
    fonts = page["/Resources"]["/Font"]
    return {str(fonts[name].get_object()["/BaseFont"]) for name in fonts}


def test_single_certificate_text_fonts_size_and_layout(issued):
    certificate = Certificate.objects.get(source_key="test.candidate:0")
    data, html = printing.render_certificates([certificate])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    text = page.extract_text()
    for printed in [
        "职业技能等级证书",
        "欧阳晓燕",
        "女",
        certificate.id_number,
        "中式烹调师",
        "4-03-02-01",
        "——",  # no work type
        "三级/高级工",
        "S000012011001263000001",
        "2026年5月12日",
        "天津市海河装备制造有限公司",
        "jndj.osta.org.cn",  # seed 001 第八条: national lookup system
        "评价机构（印章）",
    ]:
        assert printed in text.replace(" ", ""), printed
    # Every glyph came from the Kai font, subset: no fallback font, so no missing character.
    fonts = fonts_of(page)
    assert fonts and all(name.endswith("+PortalKai") for name in fonts), fonts
    assert len(data) < 120_000, len(data)  # fonts subset: measured about 50 KB with photo and seal
    # photo, seal and QR code are images (the QR code a PNG of one pixel per module, issue 42 item 2)
    assert len(page.images) == 3
    # layout numbers of seed 004 附件6 reach the page
    for css in [
        "width: 269mm",
        "height: 188mm",
        "2.25pt solid",
        "font-size: 30pt",
        "font-size: 16pt",
        "font-size: 14pt",
    ]:
        assert css in html, css
    assert "width: 35mm; height: 49mm" in html and "width: 30mm; height: 30mm" in html
    assert printing.qr_png_data_uri(offline.qr_text(certificate)) in html_lib.unescape(
        html
    )  # issue 45: link + payload


def test_work_type_and_rare_characters_render(issued):
    certificate = Certificate.objects.get(source_key="test.candidate:1")
    data, _html = printing.render_certificates([certificate])
    page = PdfReader(io.BytesIO(data)).pages[0]
    text = page.extract_text().replace(" ", "")
    assert "钱锺书" in text and "电焊工" in text and "四级/中级工" in text and "6-18-02-04" in text
    assert all(name.endswith("+PortalKai") for name in fonts_of(page))


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_rendered_page_png(issued):
    certificate = Certificate.objects.get(source_key="test.candidate:0")
    data, _html = printing.render_certificates([certificate])
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / "certificate.pdf"
    pdf_path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-singlefile", str(pdf_path), str(ARTIFACTS / "certificate-50dpi")],
        check=True,
    )
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "100",
            "-singlefile",
            str(pdf_path),
            str(ARTIFACTS / "certificate-100dpi"),
        ],
        check=True,
    )
    with Image.open(ARTIFACTS / "certificate-50dpi.png") as image:
        assert image.size in {(585, 413), (585, 414)}  # 297 x 210 mm at 50 dpi, rounded
        grey = image.convert("L")
        dark = sum(1 for value in grey.getdata() if value < 128)
        # frame, text, photo and QR code: a blank or broken page has far fewer dark pixels
        assert dark > 5_000
        # the frame: a dark line 14 mm from the left edge (28 px at 50 dpi), half-way down
        assert min(grey.getpixel((x, 206)) for x in range(25, 31)) < 100
        red = image.convert("RGB").getpixel
        assert any(
            red((x, y))[0] > 150 and red((x, y))[1] < 100 for x in range(150, 290) for y in range(150, 300)
        )  # seal


def test_batch_prints_as_one_document_with_fonts_subset_once(issued):
    certificates = printing.batch_certificates(issued)
    assert len(certificates) == 10
    reader = PdfReader(io.BytesIO(issued.pdf.read()))
    assert len(reader.pages) == 10
    assert "S000012011001263000001" in reader.pages[0].extract_text()
    assert "S000012011001264000001" in reader.pages[1].extract_text()  # batch order, welder level 4
    single, _html = printing.render_certificates(certificates[:1])
    assert issued.pdf.size < 10 * len(single) * 0.8, (issued.pdf.size, len(single))


def test_revoked_certificate_prints_revoked(issued):
    # Stored revoked (the status is a protected machine field: the row, not the instance, is changed).
    Certificate.objects.filter(source_key="test.candidate:0").update(status=Certificate.Status.REVOKED)
    certificate = Certificate.objects.get(source_key="test.candidate:0")
    data, _html = printing.render_certificates([certificate])
    assert "已撤销" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
