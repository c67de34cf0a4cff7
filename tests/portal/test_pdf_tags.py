"""Issue 40 item 4: every PDF of the portal is tagged (portal/pdf.py, WeasyPrint's ``pdf_tags``): a
structure tree and the document language, read back with pypdf; the certificate's signature still
validates over the tagged PDF."""

import io

import pytest
from pypdf import PdfReader

from certificates import pdf_signing, printing
from filings import documents
from portal import pdf
from tests.certificates.factories import CertificateFactory
from tests.filings.factories_after import FiledFilingFactory

pytestmark = pytest.mark.django_db


def _catalog(data: bytes):
    return PdfReader(io.BytesIO(data)).trailer["/Root"]


def _tagged(data: bytes, lang: str):
    catalog = _catalog(data)
    assert "/StructTreeRoot" in catalog, "no structure tree"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == lang
    kinds = _kinds(catalog["/StructTreeRoot"].get_object())
    assert "/P" in kinds or "/H1" in kinds, kinds
    return kinds


def _kinds(node, found=None) -> set[str]:
    """The structure types (/H1, /P, /Table...) under a structure element."""
    found = set() if found is None else found
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for kid in node:
            _kinds(kid, found)
    elif hasattr(node, "get"):
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node:
            _kinds(node["/K"], found)
    return found


def test_the_helper_tags_headings_and_tables():
    data = pdf.html_to_pdf(
        '<html lang="zh-CN"><body><h1>职业技能等级证书</h1><table><tr><th>姓名</th><td>张三</td></tr></table></body></html>'
    )
    kinds = _tagged(data, "zh-CN")
    assert {"/H1", "/Table", "/TH", "/TD"} <= kinds, kinds


def test_the_certificate_is_tagged_in_chinese_and_its_signature_validates():
    data, _html = printing.render_certificates([CertificateFactory()])
    _tagged(data, "zh-CN")
    report = pdf_signing.check_pdf(data)
    assert report.signed and report.intact and report.valid and report.unmodified and report.ok


def test_the_filing_notice_and_application_are_tagged():
    filing = FiledFilingFactory()
    for render in (documents.notice_pdf, documents.application_pdf):
        data, _html = render(filing)
        _tagged(data, "zh-hans")
