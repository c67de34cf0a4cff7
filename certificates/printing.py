"""Certificate PDFs (seed 004 附件6), through the portal's one PDF helper ``portal.pdf.render_pdf``.

A batch prints as one multi-page document, rendered PDF_PART_PAGES certificates at a time and joined
(portal/pdf_join.py); the Kai font is subset once a part.

A revoked certificate is never printed as if it were valid (issue 21): its page carries a large
diagonal 已撤销 mark with the revocation date (its QR code opens the verification page, which says
已撤销 too), and a document holding such a page is not PAdES-signed (certificates/README.md "Revoked certificates"). Who may have such a copy at all (staff
only) is decided by the views; batch PDFs leave revoked certificates out (:func:`store_batch_pdf`)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation

from portal.gcpause import paused_cyclic_gc
from portal.pdf import pdf_only, render_joined

from . import constants, offline
from .models import Certificate, IssuanceBatch, IssuanceItem

TEMPLATE = "certificates/certificate_pdf.html"
# seed 002 附件1 四(六): the 市人社局's 职业资格证书 prints from a template of its own.
TEMPLATES = {
    Certificate.Kind.GRADE: TEMPLATE,
    Certificate.Kind.QUALIFICATION: "certificates/qualification_pdf.html",
}


def template_for(certificates) -> str:
    """The template of the certificates' kind; one document holds one kind (a batch is of 等级证书, a
    鉴定's certificates are 职业资格证书)."""
    kinds = {c.kind for c in certificates} or {Certificate.Kind.GRADE}
    if len(kinds) > 1:
        raise ValueError(f"one PDF prints one kind of certificate, got {sorted(kinds)}")
    return TEMPLATES[kinds.pop()]


def qr_code(url: str):
    """The segno QR code of a certificate (the PDF prints it as a PNG, :func:`qr_png_data_uri`; the
    lookup page as SVG; the tests decode both).

    The data mask is fixed (constants.QR_MASK). Left to itself, segno applies all 8 masks and scores
    each with the ISO/IEC 18004 penalty rules (7.8.3) to keep the one with the fewest long runs, blocks
    and finder-like patterns: ~8 ms of pure Python per version-9 code, most of the PDF path's overhead
    over bare WeasyPrint. The mask is not a matter of validity: its number is written into the code's
    format information and every reader unmasks with it, so a code under any of the 8 masks decodes to
    the same URL (tests/certificates/test_qr.py decodes the printed one). The penalty choice only
    lowers the odds of patterns that confuse a poor scanner; a 30 mm code printed in black on white is
    far from that limit, and the fixed mask is the one that scores near the best on these URLs.
    """
    import segno

    return segno.make(url, error=constants.QR_ERROR_LEVEL, mask=constants.QR_MASK)


def qr_data_uri(url: str) -> str:
    """The QR code as an SVG data URI, for the web pages (the lookup result page shows it)."""
    return qr_code(url).svg_data_uri(border=0, omitsize=True)


# a module's value (0 light, anything else dark) -> its grey level (white, black)
_DARK_BLACK = bytes([255] + [0] * 255)


def qr_png_data_uri(url: str) -> str:
    """The QR code as the PDF prints it: a greyscale PNG of one pixel per module, border 0, drawn at
    30 x 30 mm by the templates' CSS with ``image-rendering: pixelated`` (the PDF image's /Interpolate
    false), so every module prints as a sharp black square, as the SVG did.

    Issue 42 item 2: WeasyPrint parsed and drew the SVG's path point by point, one stroke per run of dark
    modules (about 1,500 a code), in Python: half the CPU of a certificate page (bench/certificates.py
    pdf). The image is one small XObject a page. The modules are segno's (tests/certificates/test_qr.py
    decodes the image from the printed PDF), built by certificates/qr_matrix.py: ``qr_code(url).matrix``
    exactly, in 0.3 ms instead of segno's 4.3 ms (tests/certificates/test_qr_encoding.py compares them)."""
    import base64
    import io

    from PIL import Image

    from .qr_matrix import matrix as qr_matrix

    matrix = qr_matrix(url, constants.QR_ERROR_LEVEL, constants.QR_MASK)  # rows of 0 (light) and 1 (dark)
    size = len(matrix)
    image = Image.frombytes("L", (size, size), b"".join(matrix).translate(_DARK_BLACK))
    buffer = io.BytesIO()
    # zlib level 1: 0.16 ms against 0.53 ms at Pillow's default 6, for ~2.5 KB against ~2 KB; the PDF is the
    # same either way (WeasyPrint decodes the PNG and writes the pixels again with its own compression)
    image.save(buffer, "PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def page_context(certificate: Certificate) -> dict:
    return {
        "certificate": certificate,
        # A revoked certificate's copy keeps its QR code: scanned, it opens the verification page, which
        # says 已撤销 with the date (the signature in the URL is over the printed fields, not the status).
        "revoked": not certificate.is_valid,
        # issue 45: the link and, after its "#", the signed offline payload (offline.qr_text)
        "qr": qr_png_data_uri(offline.qr_text(certificate)),
        "level_name": constants.LEVEL_NAMES.get(certificate.level, ""),
        "sex_label": certificate.get_sex_display(),
        # issue 43: the document type is printed where it is not a resident ID
        "document_label": certificate.get_document_kind_display() if certificate.shows_document_kind else "",
    }


def document_context(certificates) -> dict:
    return {
        "pages": [page_context(c) for c in certificates],
        "c": {
            "frame_w": constants.FRAME_WIDTH_MM,
            "frame_h": constants.FRAME_HEIGHT_MM,
            "frame_pt": constants.FRAME_LINE_PT,
            "title_pt": constants.TITLE_PT,
            "body_pt": constants.BODY_PT,
            "url_pt": constants.URL_PT,
            "photo_w": constants.PHOTO_WIDTH_MM,
            "photo_h": constants.PHOTO_HEIGHT_MM,
            "qr": constants.QR_MM,
            # centre the frame on the A4 landscape sheet (297 x 210 mm)
            "left": (297 - constants.FRAME_WIDTH_MM) / 2,
            "top": (210 - constants.FRAME_HEIGHT_MM) / 2,
        },
        "lookup_url": constants.NATIONAL_LOOKUP_URL,
    }


# Certificates rendered in one WeasyPrint call at most (issue 42 item 4): a tuning choice measured with
# `bench/certificates.py mem --batch 2000` (about 1.1 MB of layout a page while a part renders), not a
# number from the notices.
PDF_PART_PAGES = 100


# Whether render_certificates keeps the HTML it returns: portal.pdf.html_kept, switched off by
# portal.pdf.pdf_only() (shared with the 准考证 batch, certification.tickets). The batch worker
# (store_batch_pdf) stores the PDF alone and renders within it: the HTML of 2,000 certificates is about 53 MB
# as a str (issue 42 item 4, `bench/certificates.py mem`).


def render_certificates(certificates) -> tuple[bytes, str]:
    """One PDF page per certificate, in the given order; returns (pdf bytes, html), the html empty within
    :func:`pdf_only`.

    A revoked certificate's page is marked 已撤销 across the page with its revocation date; a document
    with such a page is left unsigned, so no reader certifies it as the portal's e-certificate."""
    certificates = list(certificates)
    template = template_for(certificates)
    parts = (
        document_context(certificates[start : start + PDF_PART_PAGES])
        for start in range(0, max(len(certificates), 1), PDF_PART_PAGES)
    )
    # A certificate is printed in Chinese whatever language the requesting user reads the portal in.
    # A long batch is rendered PDF_PART_PAGES certificates at a time and the parts joined, structure tree
    # and all (portal.pdf.render_joined: a part is rendered, written to the joined file and dropped).
    # Issue 42 item 2: the cyclic collector is paused while the parts render (portal/gcpause.py, as the 准考证
    # batch does): its automatic collections walked the whole part's layout again and again, about a
    # quarter of a certificate page's CPU; one explicit collection of the youngest generation after each
    # part frees the cycles it leaves (render_joined's collect: not a full collection, about 60 ms here,
    # which a one-certificate PDF would pay), so memory stays that of one part (`bench/certificates.py mem`).
    with translation.override("zh-hans"), paused_cyclic_gc():
        pdf, html = render_joined(template, parts, collect=True, collect_generation=0)
    if any(not c.is_valid for c in certificates):
        return pdf, html
    # Issue 8: every certificate PDF leaves here PAdES-signed (certificates/pdf_signing.py), so an
    # edited PDF shows as modified in any reader.
    from .pdf_signing import sign_pdf

    if template == TEMPLATES[Certificate.Kind.QUALIFICATION]:
        return sign_pdf(pdf, reason="职业资格电子证书"), html
    return sign_pdf(pdf), html


def batch_certificates(batch: IssuanceBatch):
    """The certificates a batch prints: issued by it or issued before, in the batch's order."""
    items = (
        IssuanceItem.objects.filter(batch=batch, certificate__isnull=False)
        .select_related("certificate")
        .order_by("position")
    )
    return [item.certificate for item in items]


def printable(certificates) -> list[Certificate]:
    """The certificates a batch PDF may hold: the valid ones (a revoked certificate is left out)."""
    return [c for c in certificates if c.is_valid]


def revoked_in(batch: IssuanceBatch) -> list[Certificate]:
    """The certificates of the batch that are revoked (left out of its PDF), in the batch's order."""
    return [c for c in batch_certificates(batch) if not c.is_valid]


# A revocation landing while a batch PDF renders makes the render stale; it is done again this often.
STORE_ATTEMPTS = 3


def store_batch_pdf(batch: IssuanceBatch) -> None:
    """Prints the batch's valid certificates as one PDF and stores it, replacing the one before; a
    batch without a valid certificate keeps no PDF. The stored PDF never holds a revoked certificate:
    after rendering, the batch row is locked and the certificates are read again (revocation.revoke
    clears the stored PDF of every batch under the same lock), and a render overtaken by a revocation
    is done again."""
    for _attempt in range(STORE_ATTEMPTS):
        certificates = printable(batch_certificates(batch))
        # the PDF alone: the parts' HTML is not kept (issue 42 item 4)
        with pdf_only():
            data = render_certificates(certificates)[0] if certificates else None
        with transaction.atomic():
            locked = IssuanceBatch.objects.select_for_update().get(pk=batch.pk)
            ids = [c.pk for c in certificates]
            if Certificate.objects.filter(pk__in=ids).exclude(status=Certificate.Status.VALID).exists():
                continue
            old = locked.pdf.name
            name = ""
            if data is not None:
                stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
                name = default_storage.save(
                    IssuanceBatch._meta.get_field("pdf").generate_filename(
                        locked, f"batch-{batch.pk}-{stamp}.pdf"
                    ),
                    ContentFile(data),
                )
            IssuanceBatch.objects.filter(pk=batch.pk).update(pdf=name)
            if old and old != name:
                transaction.on_commit(lambda old=old: default_storage.delete(old))
        batch.pdf.name = name
        return
    raise RuntimeError(f"batch {batch.pk}: certificates kept being revoked while its PDF was printed")
