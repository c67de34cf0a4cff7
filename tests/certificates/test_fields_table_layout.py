"""The certificate's fields table (issue 42 item 2): laid out with a fixed table layout, so WeasyPrint does
not measure every cell's min and max width before laying it out (the auto layout, about two fifths of a
page's layout; the time is measured by `bench/certificates.py pdf`, never asserted here). A fixed layout
does not widen a column for a longer label, so the labels must fit the first row's width (the 等级证书's 5em,
the 职业资格证书's 6em for 职业资格等级); and the table is still a table in the tagged PDF (issue 40): one /TR a
field, its label a /TH, its value a /TD. Both templates (printing.TEMPLATES) are checked."""

import io
import itertools

import pytest
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from certificates import printing
from certificates.constants import QUALIFICATION_ISSUER_NAME
from certificates.models import Certificate
from portal import pdf
from portal.identifiers import DocumentKind
from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db

LONG_OCCUPATION = "电子专用设备装调工（半导体分立器件和集成电路装调工）特别长的名称用于换行测试"


def _laid_out_pages(html: str):
    """WeasyPrint's layout of the HTML as portal.pdf renders it (fonts, fetcher)."""
    return [page._page_box for page in pdf.laid_out(html).pages]


def _all(box):
    """The box and its descendants, absolutely positioned ones too (the frame, its halves)."""
    for b in box.descendants(placeholders=True):
        yield getattr(b, "_box", b)  # an AbsolutePlaceholder holds the laid-out box


def _boxes(box, kind):
    return [b for b in _all(box) if isinstance(b, kind)]


_QUALIFICATION_SERIALS = itertools.count(1)


def _grade(**fields):
    return CertificateFactory(**fields)


def _qualification(**fields):
    """A 职业资格证书 as qualification.issue_for_appraisal stores it: the bureau's number and name."""
    return CertificateFactory(
        kind=Certificate.Kind.QUALIFICATION,
        code=f"Z000012000000263{next(_QUALIFICATION_SERIALS):06d}",
        institution_name=QUALIFICATION_ISSUER_NAME,
        **fields,
    )


# the kind's factory, the rows of a passport holder's table (证件类型 printed)
KINDS = {
    "grade": (_grade, 10),
    "qualification": (_qualification, 11),  # 职业资格等级 for 技能等级, and a 发证机关 row
}


def _passport_certificate(make):
    return make(holder_name="陈大文", document_kind=DocumentKind.PASSPORT, id_number="USA123456789")


@pytest.mark.parametrize("kind", KINDS)
def test_the_fields_table_is_laid_out_fixed_and_every_label_fits_its_column(kind):
    make, _rows = KINDS[kind]
    certificates = [_passport_certificate(make), make(occupation_name=LONG_OCCUPATION)]
    _pdf, html = printing.render_certificates(certificates)
    codes = {c.code for c in certificates}
    pages = _laid_out_pages(html)
    assert len(pages) == 2
    for page in pages:
        (table,) = _boxes(page, boxes.TableBox)
        # the fixed algorithm applies only to a table of a given width (WeasyPrint's table_wrapper_width)
        assert table.style["table_layout"] == "fixed"
        assert table.style["width"] != "auto"
        (half,) = [
            b for b in _all(page) if b.element_tag == "div" and "right" in (b.element.get("class") or "")
        ]
        cells = _boxes(table, boxes.TableCellBox)
        labels = [cell for cell in cells if cell.element_tag == "th"]
        values = [cell for cell in cells if cell.element_tag == "td"]
        assert len(labels) == len(values) >= 9
        for label in labels:
            # the longest label (证件类型, 证件号码...) fits the column: no text runs into the values
            for text in _boxes(label, boxes.TextBox):
                assert text.position_x + text.width <= label.content_box_x() + label.width + 0.01, text.text
        for value in values:
            # a value starts right of its label's column and stays within the right half of the frame
            assert value.position_x >= labels[0].position_x + labels[0].border_width() - 0.01
            assert value.position_x + value.border_width() <= half.content_box_x() + half.width + 0.01
            for text in _boxes(value, boxes.TextBox):
                if text.text in codes:
                    # the number is one word that cannot break: the 职业资格证书's (22 characters against a value
                    # column 1em narrower than the 等级证书's) runs about 2 mm past its cell, as it ran past the
                    # auto table's half, into the half's padding, inside the frame
                    edge = half.padding_box_x() + half.padding_width()
                    assert text.position_x + text.width <= edge + 0.01, text.text
                    continue
                assert text.position_x + text.width <= value.content_box_x() + value.width + 0.01, text.text
    # the long occupation wraps inside its cell (as the auto layout wrapped it at the half's width)
    long_value = next(
        cell
        for cell in _boxes(pages[1], boxes.TableCellBox)
        if "".join(t.text for t in _boxes(cell, boxes.TextBox)) == LONG_OCCUPATION
    )
    assert len(_boxes(long_value, boxes.LineBox)) >= 2


def _structure(node):
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        return [s for kid in node for s in _structure(kid)]
    if hasattr(node, "get") and "/S" in node:
        kids = node.get("/K")
        return [(str(node["/S"]), _structure(kids) if kids is not None else [])]
    return []


def _find(tree, kind):
    for name, kids in tree:
        if name == kind:
            yield kids
        else:
            yield from _find(kids, kind)


@pytest.mark.parametrize("kind", KINDS)
def test_the_fields_table_stays_a_table_of_label_and_value_rows_in_the_tagged_pdf(kind):
    make, rows_printed = KINDS[kind]
    data, _html = printing.render_certificates([_passport_certificate(make)])
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    tree = _structure(catalog["/StructTreeRoot"]["/K"])
    (table,) = list(_find(tree, "/Table"))
    rows = list(_find(table, "/TR"))
    assert len(rows) == rows_printed  # 证件类型 printed for a passport
    for row in rows:
        assert [name for name, _kids in row] == ["/TH", "/TD"]
