"""The PDF helper renders Chinese text (read back with pypdf) and refuses resources off the allow-list."""

import io

import pytest
from pypdf import PdfReader

from portal import pdf


def test_chinese_text_round_trips():
    html = '<html><body style="font-family: PortalKai"><h1>职业技能等级证书</h1><p style="font-family: PortalSerif">天津市海河装备制造有限公司</p></body></html>'
    data = pdf.html_to_pdf(html)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "职业技能等级证书" in text and "天津市海河装备制造有限公司" in text
    assert len(data) < 200_000  # fonts are subset, not embedded whole


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "https://example.org/x.png", "/media/../../etc/passwd", "/etc/passwd"]
)
def test_fetcher_refuses(url):
    with pytest.raises(pdf.ForbiddenResource):
        pdf.url_fetcher(url)


def test_fetcher_reads_static():
    result = pdf.url_fetcher("/static/vendor/bootstrap/VERSION")
    assert b"Bootstrap" in result["file_obj"].read()
