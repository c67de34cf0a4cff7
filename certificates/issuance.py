"""Issuing certificates in batches (seed 001 第八条; seed 004 二(四)1).

The issuing side (the certification app, once it exists) hands over its verified passing candidates as
:class:`IssuableCandidate` rows::

    batch = create_batch(institution, prefix=("S", "0000", "12", "011001"), institution_name=filed_name,
                         candidates=[IssuableCandidate(...), ...], actor=request.user,
                         scope={("4-03-02-01", 3), ...})

``create_batch`` stores a snapshot of every candidate (refusing, with a reason, those not verified
passing or outside the filed scope) and queues :func:`run_batch` after commit. ``run_batch`` issues the
pending items one transaction each and may be run again at any time (after a worker died, twice at
once): a candidate's ``source_key`` is unique on Certificate, so nobody ever gets two certificates."""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import audit, identifiers, jobs
from portal.notices import cite
from portal.uploads import random_name, sniff, stored_files

from . import photos
from .allocation import SerialExhausted, allocate_code
from .codes import check_prefix
from .constants import DOCUMENT_NUMBER_LENGTH, LEVEL_MAX, LEVEL_MIN, NO_WORK_TYPE, STALE_BATCH_MINUTES
from .models import Certificate, IssuanceBatch, IssuanceItem, Sex

logger = logging.getLogger(__name__)

SNAPSHOT_DIR = "certificates/uploads"  # photos handed over as bytes, kept until their item is done
# The item's fields a certificate prints as they were stored when the batch was created.
PRINTED_AS_GIVEN = (
    "level",
    "holder_name",
    "sex",
    "document_kind",
    "id_number",
    "occupation",
    "occupation_name",
    "occupation_code",
)
SEX_VALUES = {"M": Sex.MALE, "F": Sex.FEMALE, "男": Sex.MALE, "女": Sex.FEMALE}


@dataclass
class IssuableCandidate:
    """One candidate handed over by the issuing side.

    ``source_key`` identifies the candidate on that side (e.g. ``"certification.candidate:123"``): one
    certificate per key, ever. ``photo`` is the storage name of an uploaded JPG/PNG in MEDIA_ROOT or its
    bytes. ``verified_passing`` is the issuing side's statement that the centre verified the result
    (seed 001 第十六条); anything else is refused."""

    source_key: str
    name: str
    sex: str
    id_number: str
    occupation: object  # portal.Occupation
    level: int
    photo: str | bytes | None
    verified_passing: bool
    work_type: str = ""
    extra: dict = field(default_factory=dict)
    # Issue 43: the document ``id_number`` belongs to (a portal.identifiers.DocumentKind value).
    document_kind: str = identifiers.DocumentKind.RESIDENT_ID


def sex_of(candidate) -> str:
    """The sex as given ("M"/"F"/"男"/"女"; certification stores the one the document carries, issue 43),
    or else the one the holder's document carries (identifiers.document_sex: a resident ID, a residence
    permit, a 2023 permanent residence ID); "" when neither says or the one given is neither (the permits
    and passports carry none: their holders' sex is asked for). ``candidate``: anything with
    ``id_number`` and, where they are known, ``sex`` and ``document_kind``."""
    given = getattr(candidate, "sex", "") or ""
    if given:
        return SEX_VALUES.get(given, "")
    kind = getattr(candidate, "document_kind", "") or identifiers.DocumentKind.RESIDENT_ID
    try:
        carried = identifiers.document_sex(kind, candidate.id_number or "")
    except ValueError:  # an unknown type (refused by refusals)
        carried = None
    return SEX_VALUES[carried] if carried else ""


def document_kind_of(candidate) -> str:
    """The candidate's DocumentKind value; an unknown one is stored as given (the item is refused)."""
    try:
        return identifiers.document_kind(candidate.document_kind).value
    except ValueError:
        return str(candidate.document_kind or "")[:20]


def number_of(candidate) -> str:
    """The number as its type stores it (identifiers.normalize_document), or compacted for an unknown type."""
    try:
        return identifiers.normalize_document(candidate.document_kind, candidate.id_number or "")
    except ValueError:
        return identifiers.normalize_id_number(candidate.id_number or "")


NOTHING_CHOSEN = gettext_lazy("请至少选择一名考生。")
NOT_ISSUABLE = gettext_lazy(
    "所选考生中有不能签发证书的人员（认定结果未核对无误或不合格，或不属于本方案），请重新选择。"
)


class SelectionError(ValueError):
    """A selection of candidates that cannot be issued as submitted."""


def select_candidates(candidates: list[IssuableCandidate], chosen_keys) -> list[IssuableCandidate]:
    """The "some" of "all, by plan, or some": the chosen candidates, in the issuing side's order.

    ``candidates`` are the ones the issuing side offers as verified passing right now; every chosen
    ``source_key`` must be one of them. Anything else (a candidate not verified passing, of another plan
    or institution, an edited form) refuses the whole selection rather than issuing the rest quietly."""
    chosen = list(dict.fromkeys(chosen_keys))
    if not chosen:
        raise SelectionError(str(NOTHING_CHOSEN))
    offered = {candidate.source_key for candidate in candidates}
    if any(key not in offered for key in chosen):
        raise SelectionError(str(NOT_ISSUABLE))
    wanted = set(chosen)
    return [candidate for candidate in candidates if candidate.source_key in wanted]


def refusals(candidate: IssuableCandidate, scope: set[tuple[str, int]], photo_stored=None) -> list[str]:
    """Every reason ``candidate`` may not get a certificate (empty when it may). Pure: the one rule the
    batch (``create_batch``) and the pre-flight of the 签发证书 page (``plan_issuing.preflight``) both
    apply, so the page never promises a certificate the batch then refuses (issue 29 item 1).
    ``photo_stored(name) -> bool``: whether a photo given by storage name is there (both callers pass
    ``default_storage.exists``); None skips that check."""
    if not candidate.verified_passing:
        return [_("认定结果尚未核验通过，不予发证。")]
    reasons = []
    if not candidate.name or not candidate.name.strip():
        reasons.append(_("缺少姓名。"))
    if not sex_of(candidate):
        reasons.append(_("性别应为“男”或“女”。"))
    try:
        identifiers.check_document(candidate.document_kind, candidate.id_number)
    except (ValidationError, ValueError) as error:
        reasons.append(error.messages[0] if isinstance(error, ValidationError) else _("证件类型不正确。"))
    level_ok = isinstance(candidate.level, int) and LEVEL_MIN <= candidate.level <= LEVEL_MAX
    if not level_ok:
        reasons.append(_("技能等级应为 1-5 级。"))
    occupation = candidate.occupation
    if occupation is None:
        reasons.append(_("缺少职业。"))
    elif occupation.access_type:
        reasons.append(_("准入类职业不开展职业技能等级认定，不予发证。"))  # seed 000 二
    elif level_ok and (occupation.code, candidate.level) not in scope:
        reasons.append(
            _("%(code)s %(name)s %(level)s级不在本机构备案的职业（工种）和等级范围内，不予发证。")
            % {"code": occupation.code, "name": occupation.name, "level": candidate.level}
        )
    if occupation is not None and candidate.work_type and occupation.work_type_list:
        if candidate.work_type not in occupation.work_type_list:
            reasons.append(
                _("工种“%(work_type)s”不属于职业 %(name)s。")
                % {"work_type": candidate.work_type, "name": occupation.name}
            )
    if not candidate.photo:
        reasons.append(_("缺少照片。"))
    elif isinstance(candidate.photo, str) and photo_stored is not None and not photo_stored(candidate.photo):
        reasons.append(_("照片文件不存在。"))
    return reasons


def refusal_reason(candidate: IssuableCandidate, scope: set[tuple[str, int]], photo_stored=None) -> str:
    """Why ``candidate`` may not get a certificate (the first of :func:`refusals`), or "" when it may."""
    found = refusals(candidate, scope, photo_stored)
    return found[0] if found else ""


def _snapshot_photo(photo, files) -> str:
    """Keeps a reference to the candidate's photo as handed over (bytes are written to storage, through
    ``files``: gone again if the batch is not stored)."""
    if isinstance(photo, bytes | bytearray):
        kind = sniff(bytes(photo[:16])) or "bin"
        return files.save(random_name(SNAPSHOT_DIR, kind), ContentFile(bytes(photo)))
    return str(photo or "")


def _seal_name(seal, files) -> str:
    if not seal:
        return ""
    if isinstance(seal, bytes | bytearray):
        kind = sniff(bytes(seal[:16]))
        if kind not in ("png", "jpeg"):
            raise ValueError("seal: the seal image must be PNG or JPG")
        return files.save(random_name("certificates/seals", kind), ContentFile(bytes(seal)))
    return str(seal)


# Stored reasons are records: always in Chinese, whatever language the calling user reads the portal in.
@translation.override("zh-hans")
def create_batch(
    institution,
    prefix: tuple[str, str, str, str],
    institution_name: str,
    candidates: list[IssuableCandidate],
    actor,
    *,
    scope: set[tuple[str, int]],
    issue_date: date | None = None,
    title: str = "",
    seal: str | bytes | None = None,
    start: bool = True,
) -> IssuanceBatch:
    """Stores the batch and its candidates and queues the issuance after commit.

    ``prefix`` = (kind, route, province, institution sequence) of the filed institution
    (``filings.institutions.certificate_prefix``); ``institution_name`` exactly as filed; ``scope`` the
    filed (occupation code, level) pairs. Raises ValueError for a bad prefix or an empty name."""
    kind, route, province, institution_seq = check_prefix(prefix)
    if not institution_name or not institution_name.strip():
        raise ValueError("institution_name: the name exactly as filed is required")
    scope = {(str(code), int(level)) for code, level in scope}
    issue_date = issue_date or timezone.localdate()
    seen: set[str] = set()
    items = []
    with stored_files() as files:  # the snapshots and the seal go if the batch is not stored
        batch = IssuanceBatch.objects.create(
            institution=institution,
            institution_name=institution_name.strip(),
            kind=kind,
            route=route,
            province=province,
            institution_seq=institution_seq,
            title=title,
            issue_date=issue_date,
            seal=_seal_name(seal, files),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for position, candidate in enumerate(candidates, start=1):
            reason = refusal_reason(candidate, scope, default_storage.exists)
            if not reason and candidate.source_key in seen:
                reason = _("同一考生在本批次中重复出现。")
            seen.add(candidate.source_key)
            occupation = candidate.occupation
            items.append(
                IssuanceItem(
                    batch=batch,
                    position=position,
                    source_key=candidate.source_key[:100],
                    holder_name=(candidate.name or "").strip()[:50],
                    sex=sex_of(candidate),
                    document_kind=document_kind_of(candidate),
                    id_number=number_of(candidate)[:DOCUMENT_NUMBER_LENGTH],
                    occupation=occupation,
                    occupation_code=getattr(occupation, "code", "")[:10],
                    occupation_name=getattr(occupation, "name", "")[:100],
                    work_type=(candidate.work_type or "").strip()[:100],
                    level=candidate.level
                    if isinstance(candidate.level, int) and 0 <= candidate.level < 10
                    else 0,
                    photo="" if reason else _snapshot_photo(candidate.photo, files),
                    status=IssuanceItem.Status.REFUSED if reason else IssuanceItem.Status.PENDING,
                    reason=reason,
                )
            )
        IssuanceItem.objects.bulk_create(items, batch_size=500)
        batch.total = len(items)
        batch.refused_count = sum(1 for item in items if item.status == IssuanceItem.Status.REFUSED)
        batch.save(update_fields=["total", "refused_count"])
        audit.record("certificate_batch_created", batch, actor, to_state=batch.status, total=batch.total)
        if start:
            transaction.on_commit(lambda: enqueue(batch.pk))
    return batch


def enqueue(batch_id: int) -> None:
    jobs.enqueue("certificates.run_batch", batch_id)


def resume_batch(batch: IssuanceBatch, actor=None) -> None:
    """Queues the batch again (after a worker died or printing failed); harmless if it is running."""
    if batch.status == IssuanceBatch.Status.FINISHED:
        return
    audit.record("certificate_batch_resumed", batch, actor, from_state=batch.status)
    transaction.on_commit(lambda: enqueue(batch.pk))


def requeue_stale_batches(now=None) -> list[int]:
    """Batches whose worker went quiet (killed, machine restarted) are queued again."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(minutes=STALE_BATCH_MINUTES)
    open_states = [IssuanceBatch.Status.PENDING, IssuanceBatch.Status.RUNNING, IssuanceBatch.Status.PRINTING]
    stale = list(
        IssuanceBatch.objects.filter(status__in=open_states, created_at__lt=cutoff)
        .exclude(progress_at__gte=cutoff)
        .values_list("pk", flat=True)
    )
    for batch_id in stale:
        enqueue(batch_id)
    return stale


def reprint_batch_pdf(batch_id: int) -> bool:
    """Prints the PDF of a finished batch that has none (dropped when one of its certificates was
    revoked, revocation.py); idempotent: a batch that has its PDF, or is not finished, is left alone.
    True when a PDF was printed."""
    from .printing import store_batch_pdf

    batch = IssuanceBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.pdf or batch.status != IssuanceBatch.Status.FINISHED:
        return False
    store_batch_pdf(batch)
    return bool(batch.pdf)


@translation.override("zh-hans")
def run_batch(batch_id: int) -> dict:
    """Issues every pending item of the batch, then prints the batch PDF. Idempotent and resumable."""
    batch = IssuanceBatch.objects.get(pk=batch_id)
    if batch.status == IssuanceBatch.Status.FINISHED:
        return summary(batch)
    now = timezone.now()
    IssuanceBatch.objects.filter(pk=batch_id).exclude(status=IssuanceBatch.Status.FINISHED).update(
        status=IssuanceBatch.Status.RUNNING, started_at=batch.started_at or now, progress_at=now, error=""
    )
    while issue_next_item(batch):
        pass
    if IssuanceItem.objects.filter(batch_id=batch_id, status=IssuanceItem.Status.PENDING).exists():
        # Another runner holds the last items; it finishes the batch.
        return summary(IssuanceBatch.objects.get(pk=batch_id))
    IssuanceBatch.objects.filter(pk=batch_id).update(
        status=IssuanceBatch.Status.PRINTING, progress_at=timezone.now()
    )
    try:
        from .printing import store_batch_pdf

        store_batch_pdf(IssuanceBatch.objects.get(pk=batch_id))
    except Exception as error:  # the certificates are issued; only the print failed: say so, allow resume
        logger.exception("printing batch %s failed", batch_id)
        IssuanceBatch.objects.filter(pk=batch_id).update(
            status=IssuanceBatch.Status.FAILED, error=str(error)[:2000]
        )
        raise
    IssuanceBatch.objects.filter(pk=batch_id).update(
        status=IssuanceBatch.Status.FINISHED, finished_at=timezone.now(), progress_at=timezone.now()
    )
    batch = IssuanceBatch.objects.get(pk=batch_id)
    audit.record(
        "certificate_batch_finished",
        batch,
        None,
        to_state=batch.status,
        issued=batch.issued_count,
        existing=batch.existing_count,
        refused=batch.refused_count,
    )
    return summary(batch)


def issue_next_item(batch: IssuanceBatch) -> bool:
    """Claims the next pending item (skipping items another runner holds) and issues it in one
    transaction. Returns False when nothing is left to claim."""
    with stored_files() as files:  # the certificate's photo goes if the item does not commit
        item = (
            IssuanceItem.objects.select_for_update(skip_locked=True)
            .filter(batch_id=batch.pk, status=IssuanceItem.Status.PENDING)
            .order_by("position")
            .first()
        )
        if item is None:
            return False
        _issue_item(batch, item, files)
    return True


def _issue_item(batch: IssuanceBatch, item: IssuanceItem, files) -> None:
    existing = Certificate.objects.filter(source_key=item.source_key).first()
    if existing is not None:
        _finish_item(item, IssuanceItem.Status.EXISTING, existing, "existing_count")
        return
    try:
        photo_name = photos.store_certificate_photo(item.photo.name, files)
    except photos.PhotoError as error:
        _finish_item(item, IssuanceItem.Status.REFUSED, None, "refused_count", reason=str(error))
        return
    try:
        # A savepoint around serial + certificate: if another batch issued this candidate in the
        # meantime, both roll back together and the serial is not lost.
        with transaction.atomic():
            code = allocate_code(batch.prefix, batch.issue_date.year, item.level)
            certificate = Certificate.objects.create(
                code=str(code),
                serial=code.serial,
                year=code.year,
                **{name: getattr(item, name) for name in PRINTED_AS_GIVEN},
                work_type=item.work_type or NO_WORK_TYPE,
                institution_id=batch.institution_id,
                institution_name=batch.institution_name,
                issue_date=batch.issue_date,
                photo=photo_name,
                seal=batch.seal.name if batch.seal else "",
                source_key=item.source_key,
                batch=batch,
            )
    except SerialExhausted:
        files.delete(photo_name)  # no certificate, so no photo
        reason = _(
            "本机构%(year)s年%(level)s级证书序列码 000001-999999 已全部使用，无法再编码（%(ref)s）。"
        ) % {
            "year": batch.issue_date.year,
            "level": item.level,
            "ref": cite("seed 004 附件5 七"),
        }
        _finish_item(item, IssuanceItem.Status.REFUSED, None, "refused_count", reason=reason)
        return
    except IntegrityError:
        existing = Certificate.objects.filter(source_key=item.source_key).first()
        if existing is None:
            raise
        files.delete(photo_name)  # the existing certificate has its own
        _finish_item(item, IssuanceItem.Status.EXISTING, existing, "existing_count")
        return
    audit.record(
        "certificate_issued", certificate, batch.created_by, to_state=certificate.status, batch=batch.pk
    )
    _finish_item(item, IssuanceItem.Status.ISSUED, certificate, "issued_count")


def _finish_item(item, status, certificate, counter, reason=""):
    item.status = status
    item.certificate = certificate
    item.reason = reason
    item.save(update_fields=["status", "certificate", "reason"])
    IssuanceBatch.objects.filter(pk=item.batch_id).update(
        **{counter: F(counter) + 1}, progress_at=timezone.now()
    )
    # A photo handed over as bytes was copied to SNAPSHOT_DIR; once the item is done the certificate has
    # its own normalised copy, so the snapshot goes (after commit: a rollback still needs it).
    snapshot = item.photo.name if item.photo else ""
    if snapshot.startswith(SNAPSHOT_DIR + "/"):
        transaction.on_commit(lambda: default_storage.delete(snapshot))


def summary(batch: IssuanceBatch) -> dict:
    return {
        "batch": batch.pk,
        "status": batch.status,
        "total": batch.total,
        "issued": batch.issued_count,
        "existing": batch.existing_count,
        "refused": batch.refused_count,
    }
