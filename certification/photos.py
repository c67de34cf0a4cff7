"""The candidate's 2-inch photo (printed on the certificate, seed 004 附件6 3) and who may add it when.

Until the results are verified the institution uploads or replaces it freely. After verification the
roster is a record: a photo may still be *added* to a candidate who has none (else the certificate is
refused with 缺少照片 and nothing could recover it, issue 29 item 1), never replaced, and each such
addition is on the plan's audit trail (``certification_photo_added_after_verification``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal import audit
from portal.uploads import random_name, stored_files, validate_upload

from .constants import PHOTO_MAX_BYTES, State
from .photo_check import PhotoRefused, check_photo

__all__ = ["PhotoRefused", "check_photo", "locked", "may_add", "refusal", "store"]

# The plan states in which the results are verified: the photo is locked unless it is missing.
VERIFIED_STATES = (State.VERIFIED, State.UPLOADED)
PHOTO_KINDS = ("jpeg", "png")  # by content (portal.uploads.sniff), never by the file's name


def locked(candidate) -> bool:
    """The results are verified: the photo may only be added where there is none."""
    return candidate.plan.state in VERIFIED_STATES


def may_add(candidate) -> bool:
    """Whether the institution may upload a photo for the candidate now."""
    return not locked(candidate) or not candidate.photo


def refusal(candidate) -> str:
    """Why no photo may be uploaded for the candidate now, or ""."""
    if may_add(candidate):
        return ""
    return _("认定结果核对后不能更换已有的照片。")


def store(candidate, upload, actor, *, via: str = "form") -> None:
    """Checks ``upload`` by content (JPG/PNG, a readable image, the size limit, and what it shows:
    ``photo_check.check_photo``, seed 004 附件6 3) and stores it as the candidate's photo in one transaction (the old file goes after commit, the new one if the row is not
    saved). Raises PhotoRefused with the reason."""
    reason = refusal(candidate)
    if reason:
        raise PhotoRefused(reason)
    try:
        kind = validate_upload(upload, allowed=PHOTO_KINDS, max_bytes=PHOTO_MAX_BYTES)
    except ValidationError as error:
        raise PhotoRefused(error.messages[0]) from None
    upload.seek(0)
    check_photo(upload.read(PHOTO_MAX_BYTES + 1))
    upload.seek(0)
    with stored_files() as files:
        # The row locked and read again: two uploads at once never replace a photo added after verification.
        candidate.photo = type(candidate).objects.select_for_update().get(pk=candidate.pk).photo
        reason = refusal(candidate)
        if reason:
            raise PhotoRefused(reason)
        after_verification = locked(candidate)
        if candidate.photo:
            files.delete_after_commit(candidate.photo.name, candidate.photo.storage)
        files.save_field(candidate.photo, random_name("p", kind).rsplit("/", 1)[-1], upload)
        candidate.save(update_fields=["photo"])
        if after_verification:
            audit.record(
                "certification_photo_added_after_verification",
                candidate.plan,
                actor,
                candidate=candidate.pk,
                name=candidate.name,
                via=via,
            )
