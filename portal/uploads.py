"""Uploads are checked by what they contain, never by their name; stored under random names."""

import logging
import os
import threading
import uuid
import zipfile
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Magic numbers of the kinds the portal accepts.
_SIGNATURES = {
    "pdf": [b"%PDF-"],
    "jpeg": [b"\xff\xd8\xff"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "xlsx": [b"PK\x03\x04"],  # a zip; openpyxl checks the inside
}
KIND_LABELS = {"pdf": "PDF", "jpeg": "JPG", "png": "PNG", "xlsx": "XLSX", "csv": "CSV"}
KIND_EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "xlsx": ".xlsx", "csv": ".csv"}

# An XLSX is a zip: refuse archives that would inflate past this, or by more than this ratio, before
# openpyxl opens them (a zip bomb would otherwise exhaust memory).
XLSX_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
XLSX_MAX_RATIO = 200
# The same per member (issue 30, finding 3): a sheet that inflates 1,000-fold hid under the overall
# ratio behind 1 MB of stored random padding (190 MB of sheet in a 1.25 MB file). No member may declare
# more than this: a 100,000-row roster's sheet is 26 MB, five times the largest roster accepted
# (eligibility's 20,000 rows, about 5 MB), so 64 MB refuses no real roster or score sheet.
XLSX_MAX_MEMBER_BYTES = 64 * 1024 * 1024
# ...nor inflate by more than this: the members of real workbooks deflate 1.5-13-fold (the 100,000-row
# roster's sheet 12.6, its theme 6.5); deflate tops out near 1,030-fold on filler such as whitespace.
# Small members (under XLSX_RATIO_FREE_BYTES inflated) are exempt: a few repeated bytes prove nothing.
XLSX_MAX_MEMBER_RATIO = 100
XLSX_RATIO_FREE_BYTES = 1024 * 1024
# Python's zipfile never hands out more of a member than its declared size (it stops there and checks
# the CRC), so bounding the declared sizes here bounds what portal/sheets.py and openpyxl read.


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
    if isinstance(upload, OversizeUpload) or upload.size > max_bytes:
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
    if kind == "xlsx":
        _check_zip(upload)
    return kind


def _check_zip(upload) -> None:
    zip_members(upload, _("XLSX 文件已损坏或解压后过大，请检查后重新上传。"))


def zip_members(upload, refusal: str, code: str = "bad_xlsx") -> list[zipfile.ZipInfo]:
    """The members of the zip ``upload`` (an XLSX, a ZIP of photos), after the zip-bomb checks above: the
    whole archive and every member bounded in declared size and ratio. ``ValidationError(refusal)`` for
    anything that is no readable zip or would inflate past them."""
    bad = ValidationError(refusal, code=code)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise bad from None
    finally:
        upload.seek(0)
    inflated = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos) or 1
    if inflated > XLSX_MAX_UNCOMPRESSED_BYTES or inflated / compressed > XLSX_MAX_RATIO:
        raise bad
    if any(_member_too_big(info) for info in infos):
        raise bad
    return infos


def _member_too_big(info: zipfile.ZipInfo) -> bool:
    if info.file_size > XLSX_MAX_MEMBER_BYTES:
        return True
    return info.file_size > XLSX_RATIO_FREE_BYTES and info.file_size / (info.compress_size or 1) > (
        XLSX_MAX_MEMBER_RATIO
    )


class OversizeUpload(UploadedFile):
    """Stands in for a file that exceeded UPLOAD_MAX_BYTES while it arrived: its content was not kept,
    its ``size`` is what was received, so :func:`validate_upload` says "文件过大" with the figure."""

    def __init__(self, name, size, content_type):
        import io

        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)


class SizeLimitedUploadHandler(FileUploadHandler):
    """First upload handler: passes chunks on until a file exceeds UPLOAD_MAX_BYTES, then swallows the
    rest (memory and disk stay bounded) and hands the form an :class:`OversizeUpload`."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversize = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self.oversize = True
            return None  # later handlers get nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.oversize:
            return OversizeUpload(self.file_name, self.received, self.content_type)
        return None


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


# -- files and the transaction they belong to -----------------------------------------------------------


class StoredFiles:
    """The files written inside one :func:`stored_files` block (see there)."""

    def __init__(self):
        self._written: list[tuple[object, str]] = []

    def save(self, name: str, content, storage=None) -> str:
        """Writes ``content`` under ``name`` (default storage); returns the name it got."""
        storage = storage or default_storage
        stored = storage.save(name, content)
        self._written.append((storage, stored))
        return stored

    def save_field(self, field_file, name: str, content) -> None:
        """``field_file.save(name, content, save=False)``, remembered; the caller saves the row."""
        field_file.save(name, content, save=False)
        self._written.append((field_file.storage, field_file.name))

    def delete(self, name: str, storage=None) -> None:
        """Deletes a file written in this block that turned out not to be needed (nothing refers to it)."""
        storage = storage or default_storage
        self._written = [(s, n) for s, n in self._written if not (s is storage and n == name)]
        _delete_quietly(storage, name)

    @staticmethod
    def delete_after_commit(name: str, storage=None) -> None:
        """A file this block replaces (a one-file slot uploaded again): gone once the block commits; a
        rollback keeps it, since the rows still point at it."""
        if name:
            storage = storage or default_storage
            transaction.on_commit(lambda: _delete_quietly(storage, name))

    def discard(self) -> None:
        for storage, name in reversed(self._written):
            _delete_quietly(storage, name)
        self._written = []


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:  # the failure being handled matters more than a file left behind; say so in the log
        logger.warning("could not delete %s after a failed upload", name, exc_info=True)


@contextmanager
def stored_files(using=None):
    """One ``transaction.atomic()`` block whose files go with its rows::

        with stored_files() as files:
            files.save_field(attachment.file, random_name("filings", kind), upload)
            attachment.save()

    Validate everything first; write files only inside the block, through ``files``. When the block
    raises (a later step failed, the commit failed), every file written through ``files`` is deleted
    before the exception goes on: Django has no on_rollback, this is it. Open it as the outermost
    transaction of the request or task: if an enclosing atomic block rolls back after this one ended
    without error, its files stay behind."""
    files = StoredFiles()
    try:
        with transaction.atomic(using=using):
            yield files
    except BaseException:
        files.discard()
        raise


# WeasyPrint sets Pillow's process-wide ImageFile.LOAD_TRUNCATED_IMAGES to True when it is imported (the
# certificate PDFs), and a truncated image would then load with its missing rows black. The flag is put
# back to False for the one decode of an upload's check, under a lock, and restored afterwards (the photo and
# seal checks: certification.photo_check, filings.seals).
TRUNCATED_FLAG_LOCK = threading.Lock()


def load_whole_image(image) -> None:
    """Decodes ``image``; OSError when its data end before its pixels do (whatever WeasyPrint set)."""
    from PIL import ImageFile

    with TRUNCATED_FLAG_LOCK:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before
