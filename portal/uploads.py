"""Uploads are checked by what they contain, never by their name; stored under random names."""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Magic numbers of the kinds the portal accepts.
_SIGNATURES = {
    "pdf": [b"%PDF-"],
    "jpeg": [b"\xff\xd8\xff"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "xlsx": [b"PK\x03\x04"],  # a zip; openpyxl checks the inside
}
KIND_LABELS = {"pdf": "PDF", "jpeg": "JPG", "png": "PNG", "xlsx": "XLSX", "csv": "CSV"}
KIND_EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "xlsx": ".xlsx", "csv": ".csv"}


def sniff(head: bytes) -> str | None:
    """The kind of file whose first bytes are ``head``, or None."""
    for kind, signatures in _SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    return None


def validate_upload(upload, allowed=("pdf", "jpeg", "png"), max_bytes=None) -> str:
    """Raises a ValidationError in Chinese unless ``upload`` is one of ``allowed`` by content and not
    larger than ``max_bytes`` (default settings.UPLOAD_MAX_BYTES). Returns the detected kind."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("文件过大（%(size)s），单个文件不得超过 %(max)s。")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None and "csv" in allowed and _looks_like_text(upload):
        kind = "csv"
    if kind not in allowed:
        names = "、".join(KIND_LABELS[k] for k in allowed)
        raise ValidationError(
            _("文件内容不是允许的格式（%(kinds)s），请检查后重新上传（系统按文件内容而非扩展名判断）。")
            % {"kinds": names},
            code="bad_content",
        )
    if kind in ("jpeg", "png"):
        _check_image(upload)
    return kind


def _looks_like_text(upload) -> bool:
    upload.seek(0)
    sample = upload.read(4096)
    upload.seek(0)
    return b"\x00" not in sample and bool(sample)


def _check_image(upload) -> None:
    from PIL import Image

    try:
        with Image.open(upload) as image:
            image.verify()
    except Exception:
        raise ValidationError(_("图片文件已损坏或不完整，请重新上传。"), code="bad_image") from None
    finally:
        upload.seek(0)


def random_name(prefix: str, kind: str) -> str:
    """A storage path that reveals nothing: ``prefix/yyyy/<uuid>.<ext>``."""
    from django.utils import timezone

    return os.path.join(prefix, str(timezone.now().year), uuid.uuid4().hex + KIND_EXTENSIONS.get(kind, ""))
