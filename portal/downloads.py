"""A generated file (XLSX, PDF) handed over as a download: one helper for every app's views."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def attachment(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    """``content`` as an attachment named ``filename`` (ASCII names quoted, others RFC 6266 encoded)."""
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
