"""Candidate photos as one ZIP, each file named by the candidate's ID number (120101199001010012.jpg;
issue 29 item 1) or, for a candidate identified by another document (issue 43), by that document's number
(H12345678.jpg, USA123456789.jpg). Every file gets its own result (已保存 or the reason) and is stored on its own through
``certification.photos.store`` (content checked, one transaction per file, audited after verification):
one bad file never stops the others."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal import audit, identifiers
from portal.uploads import OversizeUpload, sniff, zip_members

from . import photos
from .constants import PHOTO_MAX_BYTES, PHOTO_ZIP_MAX_FILES

# The names a photo file may have: <ID number>.<one of these> (the content is checked anyway).
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")
# What archivers add beside the files (macOS resource forks, thumbnails): skipped without a row.
IGNORED_PREFIXES = ("__MACOSX/",)
IGNORED_NAMES = ("thumbs.db", "desktop.ini")
ID_LENGTH = 18  # a resident ID number (GB 11643)
PHOTO_PROGRESS_EVERY = 20  # files between two progress reports of a worker's import


class PhotoZipRefused(ValueError):
    """The archive as a whole cannot be read; nothing was stored."""


@dataclass(frozen=True)
class FileResult:
    name: str  # the file's name in the archive, an ID number in it masked like everywhere else (shown())
    saved: bool
    message: str  # 已保存 or the reason
    candidate: str = ""  # the candidate's name, when the file names one


def _ignored(info: zipfile.ZipInfo) -> bool:
    base = posixpath.basename(info.filename).lower()
    return (
        info.is_dir()
        or info.filename.startswith(IGNORED_PREFIXES)
        or base.startswith(".")
        or base in IGNORED_NAMES
    )


def file_count(upload) -> int:
    """The photo files of an archive (what import_photos would go through), 0 for a file that is no ZIP:
    import_photos then says what is wrong with it."""
    if isinstance(upload, OversizeUpload):
        return 0
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return sum(1 for info in archive.infolist() if not _ignored(info))
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0
    finally:
        upload.seek(0)


def import_photos(plan, upload, actor, progress=None) -> list[FileResult]:
    """Stores the photos of ``upload`` (a ZIP) for the plan's candidates; one result per file.
    Raises PhotoZipRefused when the upload is no readable ZIP, too large, or would inflate too far.
    ``progress(done, total=None)``: how many files are through (a large archive imported by the worker,
    certification.import_jobs)."""
    if isinstance(upload, OversizeUpload) or upload.size > settings.UPLOAD_MAX_BYTES:
        raise PhotoZipRefused(
            _("压缩包过大（%(size)s），不得超过 %(max)s；照片较多时请分几个压缩包上传。")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    refusal = _("照片压缩包须为 ZIP 文件，且解压后不得过大，请检查后重新上传。")
    if sniff(head) != "xlsx":  # the zip signature (an XLSX is a zip too)
        raise PhotoZipRefused(refusal)
    try:
        infos = [info for info in zip_members(upload, refusal, code="bad_zip") if not _ignored(info)]
    except ValidationError as error:
        raise PhotoZipRefused(error.messages[0]) from None
    if len(infos) > PHOTO_ZIP_MAX_FILES:
        raise PhotoZipRefused(_("压缩包中的文件不得超过 %(n)s 个。") % {"n": PHOTO_ZIP_MAX_FILES})
    by_id = {
        identifiers.normalize_document(c.document_kind, c.id_number or ""): c
        for c in plan.candidates.select_related("plan")
    }
    results: list[FileResult] = []
    done: set[str] = set()
    if progress:
        progress(0, len(infos))
    with zipfile.ZipFile(upload) as archive:
        for position, info in enumerate(infos, start=1):
            results.append(_one(archive, info, by_id, done, actor))
            if progress and position % PHOTO_PROGRESS_EVERY == 0:
                progress(position)
    audit.record(
        "certification_photo_zip_uploaded",
        plan,
        actor,
        files=len(results),
        saved=sum(1 for r in results if r.saved),
    )
    return results


def _kind_of(number: str) -> identifiers.DocumentKind | None:
    """The document type a file's name is a valid number of (a resident ID first), or None."""
    for kind in identifiers.DocumentKind:
        try:
            identifiers.check_document(kind, number)
        except ValidationError:
            continue
        return kind
    return None


def _key(stem: str) -> str:
    """A file's name as a stored document number: compacted, a passport's hyphen or slash dropped."""
    return identifiers.normalize_document(identifiers.DocumentKind.PASSPORT, stem)


def shown(name: str) -> str:
    """The file's name as pages show it: an ID number in it masked (first 6, last 4), as on every page, and
    another document's number by its type's rule (identifiers.mask_document)."""
    folder, base = posixpath.split(name)
    stem, extension = posixpath.splitext(base)
    if len(identifiers.normalize_id_number(stem)) == ID_LENGTH:
        base = identifiers.mask_id_number(stem) + extension
    else:
        kind = _kind_of(_key(stem))
        if kind is not None:
            base = identifiers.mask_document(kind, _key(stem)) + extension
    return posixpath.join(folder, base)


def _one(archive, info, by_id, done, actor) -> FileResult:
    name = shown(info.filename)
    stem, extension = posixpath.splitext(posixpath.basename(info.filename))
    if extension.lower() not in PHOTO_EXTENSIONS:
        return FileResult(name, False, _("文件名应为“身份证号码.jpg”或“身份证号码.png”。"))
    number = _key(stem)
    candidate = by_id.get(number)
    if candidate is None:
        try:
            identifiers.validate_id_number(number)
        except ValidationError as error:
            if _kind_of(number) is not None:  # a permit's or a passport's number, of nobody of this plan
                return FileResult(name, False, _("本方案没有该证件号码的考生。"))
            why = error.messages[0]
            return FileResult(name, False, _("文件名不是有效的身份证号码：%(why)s") % {"why": why})
        return FileResult(name, False, _("本方案没有该身份证号码的考生。"))
    if number in done:
        return FileResult(name, False, _("同一考生的照片重复，已保存前一个文件。"), candidate.name)
    if info.file_size > PHOTO_MAX_BYTES:
        return FileResult(name, False, _("照片文件过大（不得超过 5 MB）。"), candidate.name)
    with archive.open(info) as member:
        data = member.read(PHOTO_MAX_BYTES + 1)
    try:
        photos.store(candidate, SimpleUploadedFile(f"photo{extension.lower()}", data), actor, via="zip")
    except photos.PhotoRefused as error:
        return FileResult(name, False, str(error), candidate.name)
    done.add(number)
    return FileResult(name, True, _("已保存"), candidate.name)
