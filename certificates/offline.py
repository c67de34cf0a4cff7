"""The self-contained QR payload (issue 45 item 1): the printed fields of a certificate and an Ed25519
signature over exactly those bytes, so a phone can check a paper certificate with no network against the
published keys (certificates/README.md, "Offline verification", has the format and a test vector).

    JNDJ1:<body>.<signature>

``body`` is the base64url (unpadded) of the UTF-8 JSON array ``[version, key id, code, name, masked document
number, occupation code, level, issue date YYYYMMDD, issuer code, document type]``; ``signature`` the base64url
of the 64-byte Ed25519 signature over the body's bytes (after base64url decoding). The key id is the first
8 hex digits of the SHA-256 of the raw public key (certificates.signing.key_id), so a verifier picks the key
among the published ones, old keys included (CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEYS). Only the masked
number is carried: the payload is printed, and anyone who reads the QR code reads it.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from django.utils import timezone

from portal.identifiers import DocumentKind, mask_document

from . import signing
from .codes import parse_code

PREFIX = "JNDJ1:"
VERSION = 1
KEY_ID_HEX = 8  # hex digits of the key id carried (4 bytes: 1 in 4 billion for two published keys to collide)
FIELDS = ("code", "name", "masked_id", "occupation_code", "level", "issued", "issuer", "document_kind")


class PayloadError(ValueError):
    """``reason``: ``unreadable`` (not a payload of this format), ``unknown_key`` (no published key has its
    id), ``bad_signature`` (the fields were changed, or signed by another key)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OfflineFields:
    code: str
    name: str
    masked_id: str
    occupation_code: str
    level: int
    issued: str  # YYYYMMDD
    issuer: str  # the issuer's six-digit sequence code (seed 004 附件5 四; 000000: the bureau)
    document_kind: str
    key_id: str


def short_key_id(public=None) -> str:
    return signing.key_id(public)[:KEY_ID_HEX]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text or len(text) % 4 == 1:
        raise PayloadError("unreadable")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise PayloadError("unreadable") from None
    if _b64(data) != text:  # the unused low bits of a last character: one payload has one spelling only
        raise PayloadError("unreadable")
    return data


def issuer_code(code: str) -> str:
    """The issuer's six-digit sequence code, seed 004 附件5 四: 第 8-13 位 of the certificate code; read by
    position where the code is not one a serial allows (the seal preview's sample, serial 000000)."""
    try:
        return parse_code(code).institution
    except ValueError:
        return code[7:13]


def fields_of(certificate) -> list:
    kind = str(getattr(certificate, "document_kind", "") or DocumentKind.RESIDENT_ID.value)
    return [
        certificate.code,
        certificate.holder_name,
        mask_document(kind, certificate.id_number),
        certificate.occupation_code,
        int(certificate.level),
        certificate.issue_date.strftime("%Y%m%d"),
        issuer_code(certificate.code),
        kind,
    ]


def encode(certificate, private_key=None) -> str:
    """The payload for ``certificate`` signed with ``private_key`` (default: the portal's signing key)."""
    private_key = private_key or signing.private_key()
    values = [VERSION, short_key_id(private_key.public_key()), *fields_of(certificate)]
    body = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return f"{PREFIX}{_b64(body)}.{_b64(private_key.sign(body))}"


def published_keys() -> dict:
    """{key id: public key} of every key a payload may be signed with (the current one and the retired)."""
    return {short_key_id(key): key for key in signing.accepted_public_keys()}


def decode(text: str, keys: dict | None = None) -> OfflineFields:
    """The signed fields of a payload, or PayloadError saying why not."""
    text = (text or "").strip()
    if not text.startswith(PREFIX) or text.count(".") != 1:
        raise PayloadError("unreadable")
    body_text, signature_text = text[len(PREFIX) :].split(".")
    body, signature = _unb64(body_text), _unb64(signature_text)
    try:
        values = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PayloadError("unreadable") from None
    if not isinstance(values, list) or len(values) != 2 + len(FIELDS) or values[0] != VERSION:
        raise PayloadError("unreadable")
    key = (published_keys() if keys is None else keys).get(values[1])
    if key is None:
        raise PayloadError("unknown_key")
    try:
        key.verify(signature, body)
    except InvalidSignature:
        raise PayloadError("bad_signature") from None
    return OfflineFields(**dict(zip(FIELDS, values[2:], strict=True)), key_id=values[1])


# --- What the printed QR code carries (issue 45 item 1) ------------------------------------------------


def qr_text(certificate) -> str:
    """The printed QR code's text: the signed verification link as before, and the payload after ``#``.
    A phone's camera opens the link (the fragment never reaches a server, so online verification is
    unchanged); the offline page reads the payload from the fragment. Old QR codes, the link alone, still
    open the same page."""
    from .urls_for import verification_url

    return f"{verification_url(certificate)}#{encode(certificate)}"


def payload_of(text: str) -> str:
    """The payload in a QR code's text: after the link's ``#``, or the text itself."""
    text = (text or "").strip()
    return text.split("#", 1)[1] if "#" in text else text


# --- Published keys and the signed revocation list (issue 45 items 2 and 3) -----------------------------

REVOCATION_LIST_VERSION = 1


def keys_document() -> dict:
    """What the offline page keeps to verify payloads: every accepted key, the current one first, as the
    raw 32 bytes in base64url (WebCrypto's ``importKey("raw", ..., "Ed25519")``)."""
    keys = signing.accepted_public_keys()
    return {
        "version": VERSION,
        "keys": [
            {
                "id": short_key_id(key),
                "alg": "Ed25519",
                "public": _b64(signing.raw_public_key(key)),
                "current": i == 0,
            }
            for i, key in enumerate(keys)
        ],
    }


def revocation_body(now=None) -> dict:
    from .models import Certificate

    now = now or timezone.now()
    rows = (
        Certificate.objects.filter(status=Certificate.Status.REVOKED)
        .order_by("code")
        .values_list("code", "revoked_on")
    )
    return {
        "v": REVOCATION_LIST_VERSION,
        "key": short_key_id(),
        "issued": timezone.localtime(now).isoformat(timespec="seconds"),
        "revoked": [[code, day.strftime("%Y%m%d")] for code, day in rows],
    }


def revocation_list(now=None, private_key=None) -> dict:
    """The signed list of revoked certificates: ``{"body": base64url of the UTF-8 JSON, "signature":
    base64url of Ed25519 over those bytes}``. The body: ``{"v": 1, "key": key id, "issued": ISO 8601 time
    in Asia/Shanghai, "revoked": [[code, YYYYMMDD], ...]}``."""
    private_key = private_key or signing.private_key()
    body = json.dumps(revocation_body(now), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return {"body": _b64(body), "signature": _b64(private_key.sign(body))}


def read_revocation_list(document: dict, keys: dict | None = None) -> dict:
    """The body of a signed revocation list, or PayloadError (the same check the page makes)."""
    try:
        body, signature = _unb64(document["body"]), _unb64(document["signature"])
        values = json.loads(body.decode("utf-8"))
    except (KeyError, TypeError, UnicodeDecodeError, ValueError) as error:
        if isinstance(error, PayloadError):
            raise
        raise PayloadError("unreadable") from None
    if not isinstance(values, dict) or values.get("v") != REVOCATION_LIST_VERSION:
        raise PayloadError("unreadable")
    key = (published_keys() if keys is None else keys).get(values.get("key"))
    if key is None:
        raise PayloadError("unknown_key")
    try:
        key.verify(signature, body)
    except InvalidSignature:
        raise PayloadError("bad_signature") from None
    return values
