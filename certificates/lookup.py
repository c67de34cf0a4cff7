"""Public lookup and verification of certificates (seed 001 第八条; seed 004 四(四)2: the public may
query certificates free of charge). Plain functions: views, the API and the offline command call them.

Privacy rules kept here, not in templates:
- A lookup needs the holder's name plus the certificate code or the document (its type, 居民身份证 unless
  said, and its number; issue 43). A wrong name and a wrong code or number give the same "not found"
  (nobody can probe which codes or numbers exist).
- Public answers show the number masked by its type's rule (identifiers.mask_document: a resident ID's
  first 6 and last 4 characters, as much hidden of every other type).
- The verification page shows a record only when the URL's signature matches it; an unknown code and a
  signature that does not match give the same answer, so scanning forged URLs reveals nothing.
- The e-certificate PDF needs the full ID number on top of code and name; wrong ID numbers are
  counted per certificate and per person across all addresses, and the gates pause once the budget is
  spent (guesses.py; issue 30).
- Every lookup is logged (:class:`certificates.models.LookupEvent`) with a salted hash of the address,
  never the address itself, and never the ID number asked for.
"""

import functools
import re
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.identifiers import (
    DocumentKind,
    document_kind,
    mask_document,
    normalize_certificate_code,
    normalize_document,
    normalize_text,
)

from . import constants, documents, guesses, signing
from .models import Certificate, LookupEvent, Sex

Kind = LookupEvent.Kind
Outcome = LookupEvent.Outcome

CODE_PATTERN = re.compile(r"^[A-Z][0-9]{21}$")
ID_PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")
# Middle dots people type in names of ethnic minorities (买买提·艾力): all compare as U+00B7.
_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", "‧": "·", "∙": "·", "⋅": "·", ".": "·"})


# Codes and ID numbers as typed (full-width characters, spaces) are normalised by portal/identifiers.py.
normalize_code = normalize_certificate_code


def name_key(value: str) -> str:
    """What names compare as: NFKC and trimmed (identifiers.normalize_text: full-width letters, U+3000),
    without any space, with one kind of middle dot."""
    return "".join(normalize_text(value).split()).translate(_DOTS)


def names_match(asked: str, holder_name: str) -> bool:
    asked = name_key(asked)
    return bool(asked) and asked == name_key(holder_name)


# --- What the public sees ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicCertificate:
    """The public fields of a certificate: never the full ID number, the photo or a revocation reason."""

    code: str
    kind: str  # Certificate.Kind: grade 职业技能等级证书 / qualification 职业资格证书 (seed 002 附件1 四(六))
    kind_label: str
    holder_name: str
    document_kind: str  # issue 43: identifiers.DocumentKind value (resident_id, passport, ...)
    document_kind_label: str
    id_number_masked: str
    sex: str
    occupation_code: str
    occupation_name: str
    work_type: str
    level: int
    level_name: str
    institution_name: str  # the issuer: the filed institution, or the 市人社局 for a 职业资格证书
    issuer_label: str  # 评价机构 / 发证机关
    issue_date: date
    status: str
    status_label: str
    revoked_on: date | None

    @classmethod
    def of(cls, certificate: Certificate, language: str | None = None) -> "PublicCertificate":
        """``language``: the active one when the caller has it at hand (request.LANGUAGE_CODE), else read
        here (get_language() goes through asgiref's Local: issue 42 item 1)."""
        labels = _labels(language or get_language())
        kind = getattr(certificate, "document_kind", "") or DocumentKind.RESIDENT_ID.value
        return cls(
            code=certificate.code,
            kind=certificate.kind,
            kind_label=labels["kind"].get(certificate.kind, ""),
            holder_name=certificate.holder_name,
            document_kind=kind,
            document_kind_label=labels["document"].get(kind, ""),
            # The member, not its value: document_kind() then returns at once instead of translating a
            # label to compare with (a lazy string a request; issue 42 item 1). An unknown value still
            # goes through document_kind() and its ValueError.
            id_number_masked=mask_document(_DOCUMENT_KINDS.get(kind, kind), certificate.id_number),
            sex=labels["sex"].get(certificate.sex, ""),
            occupation_code=certificate.occupation_code,
            occupation_name=certificate.occupation_name,
            work_type=certificate.work_type,
            level=certificate.level,
            level_name=labels["level"].get(certificate.level, ""),
            institution_name=certificate.institution_name,
            issuer_label=labels["issuer"].get(certificate.kind, ""),
            issue_date=certificate.issue_date,
            status=certificate.status,
            status_label=labels["status"][certificate.status],
            revoked_on=certificate.revoked_on if certificate.status == Certificate.Status.REVOKED else None,
        )

    @property
    def is_revoked(self) -> bool:
        return self.status == Certificate.Status.REVOKED

    # Dates as printed (YYYY-MM-DD), for templates: verify_page.py fills a page rendered once per
    # language with these texts, so templates show them as given instead of formatting a date.
    @property
    def issue_date_text(self) -> str:
        return self.issue_date.isoformat()

    @property
    def revoked_on_text(self) -> str:
        return self.revoked_on.isoformat() if self.revoked_on else ""

    def as_json(self) -> dict:
        # The fields are flat values: a shallow dict, not dataclasses.asdict's deep copy of each
        # (a sixth of the verification API's view time; issue 42).
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["issue_date"] = self.issue_date.isoformat()
        data["revoked_on"] = self.revoked_on.isoformat() if self.revoked_on else None
        return data


_DOCUMENT_KINDS = {member.value: member for member in DocumentKind}


@functools.lru_cache(maxsize=16)
def _labels(language: str | None) -> dict:
    """The translated labels of sex, level and status, once per language (the busy answers otherwise
    translated three lazy strings each)."""
    return {
        "sex": {value: str(label) for value, label in Sex.choices},
        "document": {value: str(label) for value, label in DocumentKind.choices},
        "level": {level: str(name) for level, name in constants.LEVEL_NAMES.items()},
        "status": {value: str(label) for value, label in Certificate.Status.choices},
        "kind": {value: str(label) for value, label in Certificate.Kind.choices},
        "issuer": {
            Certificate.Kind.GRADE.value: str(_("评价机构")),
            Certificate.Kind.QUALIFICATION.value: str(_("发证机关")),
        },
    }


# --- Lookups -----------------------------------------------------------------------------------------


def find_by_code(code: str, name: str) -> Certificate | None:
    """The certificate with this code whose holder has this name; None for a wrong code *or* name."""
    code, asked = normalize_code(code), name_key(name)  # each once
    if not CODE_PATTERN.match(code) or not asked:
        return None
    certificate = Certificate.objects.filter(code=code).first()
    if certificate is None or name_key(certificate.holder_name) != asked:
        return None
    return certificate


# What a public answer and the signature check read (the seal: signing.check's answer without an
# Ed25519 operation, issue 42 item 1).
ROW_FIELDS = (*signing.SIGNED_FIELDS, "status", "revoked_on", "kind", "document_kind", "signature_seal")


@functools.cache
def _row_sql() -> str:
    """One SELECT by the unique code, its text built once per process from the model's own table and
    column names. The ORM spent about 0.35 ms composing ``filter().values().first()`` for each call,
    five times the query's own round trip: the largest single cost of the busy verification page and
    API (bench/lookup.py)."""
    meta = Certificate._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in ROW_FIELDS)
    code_column = connection.ops.quote_name(meta.get_field("code").column)
    return f"SELECT {columns} FROM {connection.ops.quote_name(meta.db_table)} WHERE {code_column} = %s"


def certificate_row(code: str) -> SimpleNamespace | None:
    """The printed fields, status and revocation date of the certificate with this (normalised) code,
    as plain values (no model instance)."""
    with connection.cursor() as cursor:
        cursor.execute(_row_sql(), [code])
        values = cursor.fetchone()
    return SimpleNamespace(**dict(zip(ROW_FIELDS, values, strict=True))) if values is not None else None


def find_public_by_code(code: str, name: str) -> SimpleNamespace | None:
    """:func:`find_by_code` for answers that need only the public fields (the API)."""
    code, asked = normalize_code(code), name_key(name)  # each once: the API's hot path
    if not CODE_PATTERN.match(code) or not asked:
        return None
    row = certificate_row(code)
    if row is None or name_key(row.holder_name) != asked:
        return None
    return row


def find_by_id_number(id_number: str, name: str) -> list[Certificate]:
    """:func:`find_by_document` for a resident ID number (the lookup's form before document types)."""
    return find_by_document(DocumentKind.RESIDENT_ID, id_number, name)


def find_by_document(kind, number: str, name: str) -> list[Certificate]:
    """Every certificate of the holder with this document (type and number) and name, newest first (one
    person may hold several); an empty list for a wrong number *or* name *or* type: one answer, whichever
    part was wrong (issue 43).

    The same oracle as the download's (issue 30, finding 4): raises :class:`GuessesSpent` once the
    person (name + shown part of the number) had GUESSES_PER_PERSON lookups that found nothing in the
    window, whoever asked; each lookup that finds nothing counts. The number's format is the form's
    check (public_views.document_problem); one that no certificate can hold finds nothing here."""
    try:
        kind = document_kind(kind)
    except ValueError:
        return []
    number, asked = normalize_document(kind, number), name_key(name)
    if kind == DocumentKind.RESIDENT_ID and not ID_PATTERN.match(number):
        return []
    if not number or len(number) > constants.DOCUMENT_NUMBER_LENGTH or not asked:
        return []
    person = guesses.person_key(asked, number, kind)
    if guesses.spent(person=person):
        raise GuessesSpent(None)
    # Issue 43 item 3: the documents staff linked to this one find their certificates too (documents.py).
    held = Q()
    for held_kind, held_number in documents.documents_of(kind, number):
        held |= Q(document_kind=held_kind, id_number=held_number)
    certificates = Certificate.objects.filter(held).order_by("-issue_date", "code")
    found = [c for c in certificates if name_key(c.holder_name) == asked]
    if not found:
        guesses.count_wrong(person=person)
    return found


class CertificateRevoked(Exception):
    """A revoked certificate is not handed out as an e-certificate (issue 21): the answer says when and
    why it was revoked instead."""

    def __init__(self, certificate: Certificate):
        super().__init__(certificate.code)
        self.certificate = certificate


class GuessesSpent(Exception):
    """Too many wrong ID numbers for this certificate or person in the window (issue 30, finding 4):
    nothing is compared, right or wrong, until the window ends (certificates/guesses.py)."""

    def __init__(self, certificate: Certificate | None):
        super().__init__(certificate.code if certificate else "")
        self.certificate = certificate


def find_for_download(code: str, name: str, id_number: str) -> Certificate | None:
    """The certificate when code, name and the *full* document number (of the certificate's type) all match (the e-certificate is the
    holder's own document); None otherwise, whichever part was wrong. Raises :class:`GuessesSpent`
    when the certificate or its holder had too many wrong ID numbers lately.

    Raises :class:`CertificateRevoked` for a revoked certificate once code and name match (the lookup
    page shows the revocation to whoever knows those two, so the ID number adds nothing to hide)."""
    certificate = find_by_code(code, name)
    if certificate is None:
        return None
    if not certificate.is_valid:
        raise CertificateRevoked(certificate)
    # Issue 30, finding 4: the ID number is checked only while the certificate's and its holder's
    # budget of wrong tries lasts (certificates/guesses.py); a wrong one spends from both.
    person = guesses.person_key(
        name_key(certificate.holder_name), certificate.id_number, certificate.document_kind
    )
    if guesses.spent(code=certificate.code, person=person):
        raise GuessesSpent(certificate)
    if certificate.id_number != normalize_document(certificate.document_kind, id_number):
        guesses.count_wrong(code=certificate.code, person=person)
        return None
    return certificate


def codes_in_pdf(pdf: bytes) -> list[str]:
    """The certificate codes printed in a certificate PDF's text, in page order (none when the file
    cannot be read)."""
    import io

    from pypdf import PdfReader

    try:
        pages = PdfReader(io.BytesIO(pdf)).pages
        text = " ".join(page.extract_text() or "" for page in pages)
    except Exception:
        return []
    return list(dict.fromkeys(re.findall(r"(?<![A-Z0-9])[A-Z][0-9]{21}(?![0-9])", text)))


# --- Verification of a QR code ----------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    outcome: str  # Outcome.VALID, Outcome.REVOKED or Outcome.MISMATCH / NOT_FOUND / UNSIGNED
    certificate: PublicCertificate | None = None  # only when the signature matched

    @property
    def matches(self) -> bool:
        return self.certificate is not None

    @property
    def public_outcome(self) -> str:
        """What a visitor is told: an unknown code, a missing and a wrong signature all read
        "does not match the record"."""
        if self.outcome in (Outcome.VALID, Outcome.REVOKED):
            return self.outcome
        return Outcome.MISMATCH


def verify(
    code: str, signature: str, *, public_keys_only: bool = False, language: str | None = None
) -> Verification:
    """Checks a verification URL's code and signature against the record.

    ``public_keys_only``: check with the published public keys only (what a third party can do),
    instead of re-signing with the private key (the fast path of the busy page; same answer).
    ``language``: the active language, if the caller knows it (:meth:`PublicCertificate.of`)."""
    code = normalize_code(code)
    if not CODE_PATTERN.match(code):
        return Verification(Outcome.NOT_FOUND)
    certificate = certificate_row(code)
    if certificate is None:
        return Verification(Outcome.NOT_FOUND)
    if not signature:
        return Verification(Outcome.UNSIGNED)
    check = signing.check_with_public_keys if public_keys_only else signing.check
    if not check(certificate, signature).ok:
        return Verification(Outcome.MISMATCH)
    outcome = Outcome.REVOKED if certificate.status == Certificate.Status.REVOKED else Outcome.VALID
    return Verification(outcome, PublicCertificate.of(certificate, language))


# --- The log -----------------------------------------------------------------------------------------


def record(kind: str, outcome: str, ip_hash: str, code: str = "") -> None:
    """Appends one line to the lookup log (at once, or through the per-process buffer of
    lookup_log.py when CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS is set)."""
    from .lookup_log import write

    write(
        (
            timezone.now(),
            kind,
            outcome,
            ip_hash[:16],
            # PostgreSQL text cannot hold NUL: a crafted code must not turn a lookup into a 500 (issue 9).
            normalize_code(code).replace("\x00", "")[:22],
        )
    )
