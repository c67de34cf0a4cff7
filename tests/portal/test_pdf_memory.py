"""portal/pdf.py keeps no image between documents (issue 42 item 4): WeasyPrint's image cache was kept per
process, and every certificate's QR code (a data: URI of its own) and photo stayed in it, about 0.7 MB a
certificate, so a worker printing batches grew without bound (bench/certificates.py mem)."""

import weasyprint

from portal import pdf

QR = "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 2 2'><rect width='{n}' height='1'/></svg>"


def test_each_document_has_an_image_cache_of_its_own_that_is_gone_afterwards(monkeypatch):
    caches = []
    original = weasyprint.HTML.write_pdf

    def spy(self, *args, **kwargs):
        caches.append(kwargs.get("cache"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", spy)
    for n in (1, 2):
        pdf.html_to_pdf(f'<html lang="zh-CN"><body><img src="{QR.format(n=n)}" alt="码"></body></html>')
    first, second = caches
    assert isinstance(first, dict) and isinstance(second, dict)
    assert first is not second
    assert any(str(key).startswith("data:") for key in first)  # the document's images were cached in it
    assert not any(QR.format(n=1) in str(key) for key in second)  # nothing of the first document
