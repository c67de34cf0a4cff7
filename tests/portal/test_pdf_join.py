"""portal/pdf_join.py (issue 42 item 4): a long certificate batch is rendered in parts and the parts joined
into one PDF that is still one tagged document (issue 40): every page in order, one structure tree whose
elements point at the joined pages, the parent tree renumbered, /Lang kept, and the signature valid."""

import io

import pytest
from pypdf import PdfReader

from certificates import issuance, pdf_signing, printing
from portal import pdf
from portal.pdf_join import join_tagged
from tests.certificates.factories import CertificateFactory, OccupationFactory, batch, candidate

pytestmark = pytest.mark.django_db

NAMES = ["赵一", "钱二", "孙三", "李四", "周五"]


def structure(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    root = catalog["/StructTreeRoot"].get_object()
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    reached, on_pages = set(), []

    def walk(node):
        if hasattr(node, "idnum"):
            if node.idnum in reached:
                return
            reached.add(node.idnum)
        item = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(item, list):
            for kid in item:
                walk(kid)
        elif hasattr(item, "get"):
            if "/Pg" in item:
                on_pages.append(pages.get(item.raw_get("/Pg").idnum))
            if "/K" in item:
                walk(item.raw_get("/K"))

    walk(root.raw_get("/K"))
    nums = root["/ParentTree"]["/Nums"]
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    outside = [
        ref
        for i in range(1, len(nums), 2)
        for ref in nums[i].get_object()
        if hasattr(ref, "idnum") and ref.idnum not in reached
    ]
    return reader, catalog, on_pages, keys, outside


def test_a_batch_rendered_in_parts_is_one_tagged_signed_document(monkeypatch):
    monkeypatch.setattr(printing, "PDF_PART_PAGES", 2)
    renders = []
    original = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda *args: renders.append(1) or original(*args))
    certificates = [CertificateFactory(holder_name=name) for name in NAMES]
    data, html = printing.render_certificates(certificates)
    assert len(renders) == 3  # 2 + 2 + 1 certificates
    reader, catalog, on_pages, keys, outside = structure(data)
    assert len(reader.pages) == 5
    for page, name in zip(reader.pages, NAMES, strict=True):
        assert name in page.extract_text().replace(" ", "")
    assert all(name in html for name in NAMES)
    assert catalog["/Lang"] == "zh-CN" and bool(catalog["/MarkInfo"]["/Marked"])
    # the title the reader shows (/DisplayDocTitle) survives the join, as one render has it
    assert reader.metadata.title == "职业技能等级证书"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    # every structure element sits on a page of the joined file, and every page has some
    assert None not in on_pages and set(on_pages) == {0, 1, 2, 3, 4}
    # one parent tree: a key per page, renumbered across the parts, pointing into the one tree
    assert [page["/StructParents"] for page in reader.pages] == keys == [0, 1, 2, 3, 4]
    assert outside == []
    report = pdf_signing.check_pdf(data)
    assert report.signed and report.intact and report.valid and report.unmodified and report.ok


def test_parts_of_one_page_each_join_as_the_whole_render_tags_them():
    """The joined tree has the same structure types per page as one render of the same pages."""
    bodies = ["<h1>第一页</h1><p>甲</p>", "<h1>第二页</h1><table><tr><td>乙</td></tr></table>"]
    parts = [pdf.html_to_pdf(f'<html lang="zh-CN"><body>{body}</body></html>') for body in bodies]
    whole = pdf.html_to_pdf(
        '<html lang="zh-CN"><body><div style="break-after: page">'
        + bodies[0]
        + "</div><div>"
        + bodies[1]
        + "</div></body></html>"
    )
    joined = join_tagged(parts)
    _reader, _catalog, on_pages, keys, outside = structure(joined)
    _w, _wc, whole_pages, whole_keys, _wo = structure(whole)
    assert sorted(set(on_pages)) == sorted(set(whole_pages)) == [0, 1]
    assert keys == whole_keys == [0, 1] and outside == []


def test_one_part_is_returned_as_it_is():
    data = pdf.html_to_pdf('<html lang="zh-CN"><body><p>一</p></body></html>')
    assert join_tagged([data]) is data


def test_within_pdf_only_no_html_is_kept_and_elsewhere_it_is():
    """store_batch_pdf renders within printing.pdf_only(): the parts' HTML (53 MB as a str for 2,000
    certificates) is not kept; render_certificates elsewhere still returns it."""
    certificates = [CertificateFactory(holder_name=name) for name in NAMES[:2]]
    with printing.pdf_only():
        data, html = printing.render_certificates(certificates)
    assert html == "" and len(PdfReader(io.BytesIO(data)).pages) == 2
    assert pdf.html_kept.get() is True  # switched back on leaving the block
    assert all(name in printing.render_certificates(certificates)[1] for name in NAMES[:2])


def test_the_batch_worker_renders_without_html(alice, monkeypatch):
    chef = OccupationFactory(chef=True)
    b = batch(alice.institution, [candidate(n, chef) for n in range(2)], actor=alice, title="第一期")
    issuance.run_batch(b.pk)
    seen = []
    real = printing.render_certificates
    monkeypatch.setattr(
        printing, "render_certificates", lambda c: seen.append(pdf.html_kept.get()) or real(c)
    )
    b.refresh_from_db()
    printing.store_batch_pdf(b)
    assert seen == [False]
    b.refresh_from_db()
    assert len(PdfReader(io.BytesIO(b.pdf.read())).pages) == 2
