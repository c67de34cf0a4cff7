"""The one locked-down HTML-to-PDF helper (WeasyPrint). Every PDF of the portal goes through it.

- Its URL fetcher reads ``/static/...`` and ``/media/...`` straight from disk and refuses everything
  else (``file://``, remote URLs): a template cannot make the renderer read arbitrary files or the net.
- Fonts: Debian's AR PL UKai (Kai, for titles) and Noto CJK, declared with ``@font-face`` under
  family names of our own (``PortalKai``, ``PortalSerif``, ``PortalSans``), subset by HarfBuzz.
- One shared ``FontConfiguration`` per process keeps memory flat between renders (STYLE.md).
- ``render_pdf`` returns the HTML too, so tests can assert on content cheaply; a batch that keeps only the PDF
  renders within :func:`pdf_only` (the certificates' and the 准考证 batches, issue 42 item 4).
- Every PDF is tagged (``pdf_tags``): a structure tree and ``/Lang`` from ``<html lang>`` (issue 40).
- pydyf's ``PDF.page_references`` is memoised (:func:`_memoised_page_references`): WeasyPrint's tagging reads it
  for every structure element, and it rebuilt the list of all pages each time, so a tagged PDF of n pages cost
  O(n^2) (issue 44: a third of the CPU of a 1,000-page 准考证 batch).
"""

import atexit
import contextlib
import contextvars
import gc
import mimetypes
import re
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

FONT_FILES = {
    "PortalKai": "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "PortalSerif": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "PortalSerifBold": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "PortalSans": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
}

FONT_CSS = "\n".join(
    f'@font-face {{ font-family: "{family}"; src: url("/fonts/{family}"); }}' for family in FONT_FILES
)

_local = threading.local()


def _memoised_page_references():
    """pydyf.PDF.page_references (pydyf 0.13) builds a tuple of every page's reference on each read, and
    WeasyPrint's pdf/tags.py reads it once per structure element (about 60 per 准考证 page) to take one item: a
    tagged PDF of n pages made ~60 n^2 references (62 million for 1,000 tickets, bench/ticket_pages.py prof).
    The same tuple, kept on the PDF object until a page is added (pages are only ever appended, by add_page),
    returns the same value at O(1)."""
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property) or getattr(original.fget, "memoised", False):
        return  # another pydyf: leave it as it is

    def page_references(self):
        kids = self.pages["Kids"]
        cached = self.__dict__.get("_portal_page_references")
        if cached is None or cached[0] is not kids or cached[1] != len(kids):
            cached = (kids, len(kids), original.fget(self))
            self.__dict__["_portal_page_references"] = cached
        return cached[2]

    page_references.memoised = True
    pydyf.PDF.page_references = property(page_references)


class ForbiddenResource(ValueError):
    pass


def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
        atexit.register(_drop_font_config)
    return _local.font_config


def _drop_font_config():
    """At exit, while the modules are still there: a FontConfiguration removes its font folder in
    ``__del__`` with shutil.rmtree, which the interpreter's teardown may already have cleared (an
    "Exception ignored ... 'NoneType' object is not callable" after a long test run)."""
    _local.__dict__.pop("font_config", None)


def _resolve(url: str) -> Path:
    path = url.split("?", 1)[0]
    for prefix in ("http://portal.local", "https://portal.local"):
        if path.startswith(prefix):
            path = path[len(prefix) :]
    if path.startswith("/fonts/"):
        family = path[len("/fonts/") :]
        if family in FONT_FILES:
            return Path(FONT_FILES[family])
    elif path.startswith(settings.STATIC_URL):
        found = finders.find(path[len(settings.STATIC_URL) :])
        if found:
            return Path(found)
    elif path.startswith(settings.MEDIA_URL):
        return MediaFile(path[len(settings.MEDIA_URL) :])
    raise ForbiddenResource(f"resource not allowed in PDFs: {url}")


class MediaFile:
    """An uploaded or generated file a PDF shows (a photo, a seal), read through the configured storage
    (portal/storage.py: MEDIA_ROOT or the database), never outside it."""

    def __init__(self, name: str):
        from urllib.parse import unquote

        from django.core.exceptions import SuspiciousFileOperation
        from django.core.files.storage import default_storage

        self.name = unquote(name)
        try:
            found = bool(self.name) and default_storage.exists(self.name)
        except SuspiciousFileOperation:  # ../ out of MEDIA_ROOT
            found = False
        if not found:
            raise ForbiddenResource(f"resource not allowed in PDFs: {settings.MEDIA_URL}{name}")

    def __str__(self):
        return self.name

    def open(self, mode="rb"):
        from django.core.files.storage import default_storage

        return default_storage.open(self.name, mode)


def url_fetcher(url: str, timeout=10, ssl_context=None):
    if url.startswith("data:"):
        from weasyprint.urls import URLFetcher

        response = URLFetcher().fetch(url)
        return {"string": response.read(), "mime_type": response.content_type}
    path = _resolve(url)
    mime, _ = mimetypes.guess_type(str(path))
    return {
        "file_obj": path.open("rb"),
        "mime_type": mime or "application/octet-stream",
        "filename": path.name,
    }


def _weasyprint_fetcher():
    """WeasyPrint >= 68 takes a URLFetcher object returning URLFetcherResponse (a plain function
    returning a dict fails on images); this one serves only what :func:`url_fetcher` allows."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PortalURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _resolve(url)
            mime, _ = mimetypes.guess_type(str(path))
            return URLFetcherResponse(
                url, body=path.open("rb"), headers={"Content-Type": mime or "application/octet-stream"}
            )

    if not hasattr(_local, "fetcher"):
        _local.fetcher = PortalURLFetcher(allowed_protocols=("data",))
    return _local.fetcher


# C0 control characters (but tab, newline, carriage return) and DEL: a form keeps them when typed in the
# middle of a value, and one of them in a name broke the text layer of the whole PDF (issue 9 bad input).
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _prepared(html: str):
    """WeasyPrint's HTML of ``html`` (control characters dropped), the stylesheets and the font
    configuration, as every render here uses them (shared fonts, the portal's fetcher)."""
    from weasyprint import CSS, HTML

    html = _CONTROL_CHARACTERS.sub("", html)
    font_config = _font_config()
    fetcher = _weasyprint_fetcher()
    document = HTML(string=html, base_url="http://portal.local/", url_fetcher=fetcher)
    # base_url: without it the @font-face src URLs are "relative without a base" and ignored.
    stylesheets = [
        CSS(string=FONT_CSS, base_url="http://portal.local/", font_config=font_config, url_fetcher=fetcher)
    ]
    return document, stylesheets, font_config


def html_to_pdf(html: str) -> bytes:
    _memoised_page_references()
    document, stylesheets, font_config = _prepared(html)
    return document.write_pdf(
        stylesheets=stylesheets,
        font_config=font_config,
        # Images are cached for one document (a seal on every page is read once), never across documents:
        # a cache kept per process held every QR code and photo ever printed, about 0.7 MB a certificate
        # (issue 42 item 4: a worker grew without bound; tests/portal/test_pdf_memory.py).
        cache={},
        # Tagged PDF (issue 40, GB/T 37668): a structure tree (headings, paragraphs, tables) and the
        # document's language from <html lang>, so a screen reader reads the certificates, notices and
        # application forms in order and in Chinese.
        pdf_tags=True,
    )


def laid_out(html: str):
    """WeasyPrint's laid-out document of ``html`` as :func:`html_to_pdf` renders it, not written: for
    reading the boxes (tests of a template's layout, tests/certificates/test_fields_table_layout.py)."""
    document, stylesheets, font_config = _prepared(html)
    return document.render(stylesheets=stylesheets, font_config=font_config, cache={}, pdf_tags=True)


def render_pdf(template_name: str, context: dict) -> tuple[bytes, str]:
    """Renders ``template_name`` with ``context`` to PDF; returns (pdf bytes, the HTML)."""
    html = render_to_string(template_name, context)
    return html_to_pdf(html), html


# Whether a batch renderer built on render_pdf keeps the HTML it returns beside the PDF (certificates.printing.
# render_certificates, certification.tickets.render_pages). A batch that stores or sends the PDF alone switches
# it off (:func:`pdf_only`): the HTML of 2,000 certificates is about 27 million characters, 53 MB as a str (CJK
# text), and twice that while the parts' HTML is joined (issue 42 item 4, `bench/certificates.py mem`).
html_kept = contextvars.ContextVar("portal_pdf_html_kept", default=True)


@contextlib.contextmanager
def pdf_only():
    """Within it, the batch renderers return their PDF with an empty HTML: no part's HTML is kept."""
    token = html_kept.set(False)
    try:
        yield
    finally:
        html_kept.reset(token)


def render_joined(
    template_name: str, contexts, *, collect: bool = False, collect_generation: int = 2
) -> tuple[bytes, str]:
    """One tagged PDF of ``template_name`` rendered once per context of ``contexts`` (the parts of a long
    document, an iterable consumed as it goes) and joined by portal.pdf_join.join_tagged; returns (pdf
    bytes, the parts' HTML one after the other), the HTML empty within :func:`pdf_only`.

    WeasyPrint keeps every page's layout until it writes the file (2.4 GB for 2,000 certificates as one
    render), so long batches are rendered in parts; the join streams (issue 42 item 4): a part is rendered
    when the join asks for it and nothing here keeps it once handed out, so one part is held at a time (two
    at the start: the join keeps the first until the second is there). ``collect``: one ``gc.collect()``
    after each part (for a caller that pauses the collector: the layout a part leaves sits in reference
    cycles), of ``collect_generation``: 0 walks only what was made since the collector last ran, i.e. while
    paused, the part's own objects (the same cycles freed as a full one: certificates/README.md, item 2),
    not the whole process (about 60 ms each in a Django worker: what a one-certificate PDF would pay)."""
    from .pdf_join import join_tagged

    htmls = [] if html_kept.get() else None

    def parts():
        for context in contexts:
            part, part_html = render_pdf(template_name, context)
            if htmls is not None:
                htmls.append(part_html)
            del part_html
            if collect:
                gc.collect(collect_generation)
            yield part
            # the join has written this part: this name for it must not outlive it while the next part
            # renders (tests/certification/test_ticket_memory.py counts the references)
            del part

    pdf = join_tagged(parts())
    return pdf, "".join(htmls or [])
