"""The compact Ed25519 signature a certificate's QR code carries (STYLE.md "Verification of printed
certificates").

What is signed is the certificate's *printed* data in a canonical form (:func:`canonical_bytes`): code,
name, sex, ID number, occupation (code and name), work type, level, institution name as filed and issue
date. The status is not signed: a revoked certificate keeps a valid signature and the verification page
says "revoked" (a verifier must tell revoked from forged). If any printed field of the record changes
after printing, or a QR code is copied onto another code, the signature no longer matches.

The key
-------
``settings.CERTIFICATE_SIGNING_KEY``: the Ed25519 private key, either PEM (PKCS#8, as written by
``openssl genpkey -algorithm ed25519``) or the 32-byte raw seed in base64, base64url or hex. Generate
one with ``python manage.py verify_certificate --new-key``.

When the setting is unset, a development key is derived deterministically from ``SECRET_KEY`` (HKDF-
SHA256), so every process of one installation signs alike without configuration. Production must set
its own key (the setting, or the environment variable of the same name): changing ``SECRET_KEY`` would
otherwise invalidate every printed QR code. The About page says which kind of key is in use.

``settings.CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEYS``: public keys (base64url of the 32 raw bytes) of
retired keys, still accepted when verifying, so certificates printed before a key rotation stay valid.

The public key is published on the About page (/certificates/about/) so anyone can check a signature
without the portal.
"""

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from portal.identifiers import DocumentKind

# Bumped if the canonical form ever changes; old printouts then keep verifying under their version.
CANONICAL_VERSION = "jndj-certificate-v1"
SIGNATURE_BYTES = 64
# The fields a certificate prints, in the order they are signed.
SIGNED_FIELDS = (
    "code",
    "holder_name",
    "sex",
    "id_number",
    "occupation_code",
    "occupation_name",
    "work_type",
    "level",
    "institution_name",
    "issue_date",
)


def _value(certificate, name) -> str:
    value = getattr(certificate, name)
    if name == "issue_date" and not isinstance(value, str):  # a str: as given to a model not yet saved
        return value.isoformat()
    return str(value if value is not None else "").strip()


# Every field canonical_bytes reads (the signed fields, then the document type): a save that writes any
# of them writes the record's seal again (Certificate.save, sealing.reseal).
CANONICAL_FIELDS = frozenset((*SIGNED_FIELDS, "document_kind"))


# Issue 43: a certificate whose holder is identified by another document than a resident ID prints its
# type, and the type is signed after the other fields; a resident ID's form is unchanged, so the
# certificates issued before document types keep verifying.
RESIDENT_ID = DocumentKind.RESIDENT_ID.value


# json.dumps(values, ensure_ascii=False, separators=(",", ":")) without a new encoder on every call.
_CANONICAL_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def canonical_bytes(certificate) -> bytes:
    """The printed fields as one unambiguous byte string (a JSON array: no field can spill into the
    next). ``certificate`` is a Certificate or anything with the same attributes."""
    values = [CANONICAL_VERSION] + [_value(certificate, name) for name in SIGNED_FIELDS]
    kind = str(getattr(certificate, "document_kind", "") or RESIDENT_ID)
    if kind != RESIDENT_ID:
        values.append(kind)
    return _CANONICAL_JSON.encode(values).encode("utf-8")


# --- Keys --------------------------------------------------------------------------------------------


def _decode_key_text(text: str) -> bytes:
    text = text.strip()
    if len(text) == 64:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    try:
        return base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("CERTIFICATE_SIGNING_KEY: not PEM, base64 or hex") from None


@functools.lru_cache(maxsize=4)
def _private_key_for(configured: str, secret_key: str) -> Ed25519PrivateKey:
    if configured:
        if configured.lstrip().startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(configured.encode(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError("CERTIFICATE_SIGNING_KEY: the PEM key is not an Ed25519 key")
            return key
        seed = _decode_key_text(configured)
        if len(seed) != 32:
            raise ValueError("CERTIFICATE_SIGNING_KEY: an Ed25519 seed is 32 bytes")
        return Ed25519PrivateKey.from_private_bytes(seed)
    # Development key: derived from SECRET_KEY, so it is stable across processes and restarts.
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"certificate signing v1").derive(
        secret_key.encode()
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def configured_key_text() -> str:
    # A Django setting first; the environment variable of the same name lets an installation set it
    # without a settings module of its own.
    return getattr(settings, "CERTIFICATE_SIGNING_KEY", "") or os.environ.get("CERTIFICATE_SIGNING_KEY", "")


def is_development_key() -> bool:
    return not configured_key_text()


def private_key() -> Ed25519PrivateKey:
    return _private_key_for(configured_key_text(), settings.SECRET_KEY)


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def raw_public_key(key: Ed25519PublicKey | None = None) -> bytes:
    key = key or public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_b64(key: Ed25519PublicKey | None = None) -> str:
    return b64url(raw_public_key(key))


def public_key_pem(key: Ed25519PublicKey | None = None) -> str:
    key = key or public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id(key: Ed25519PublicKey | None = None) -> str:
    """A short fingerprint of a public key (first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(raw_public_key(key)).hexdigest()[:16]


def accepted_public_keys() -> list[Ed25519PublicKey]:
    keys = [public_key()]
    for text in getattr(settings, "CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEYS", []) or []:
        keys.append(Ed25519PublicKey.from_public_bytes(_decode_key_text(text)))
    return keys


def new_private_key_text() -> str:
    """A fresh key for CERTIFICATE_SIGNING_KEY (base64url of the 32-byte seed)."""
    key = Ed25519PrivateKey.generate()
    return b64url(
        key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
    )


# --- Signatures --------------------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_signature(text: str) -> bytes | None:
    """The 64 signature bytes from their base64url form, or None for anything malformed."""
    text = (text or "").strip()
    if len(text) != 86:  # 64 bytes in unpadded base64url
        return None
    try:
        data = base64.urlsafe_b64decode(text + "==")
    except (binascii.Error, ValueError):
        return None
    return data if len(data) == SIGNATURE_BYTES else None


def sign(certificate) -> str:
    """The compact signature (86 characters of base64url) over the printed fields."""
    return b64url(private_key().sign(canonical_bytes(certificate)))


@dataclass(frozen=True)
class SignatureCheck:
    ok: bool
    key_id: str = ""
    # True when the answer came from the record's seal (no Ed25519 operation): see :func:`seal`.
    sealed: bool = False


# --- Seals (issue 42 item 1) -------------------------------------------------------------------------
#
# Re-signing a certificate's fields costs one Ed25519 signature (about 410,000 instructions, a fifth of
# the whole minimal lookup) on every visit of the busy verification page. A certificate's *seal* is a
# keyed BLAKE2b tag over its canonical bytes and the signature the portal printed for them, written
# with the record (``Certificate.signature_seal``; ``manage.py seal_certificates`` writes it for
# records older than the column). Checking a visitor's signature against the seal is one keyed hash:
# it matches only for the very fields *and* signature that were sealed, and a tag cannot be made
# without the seal key, which is derived from the private signing key. A missing, stale (fields
# changed after sealing, key rotated) or altered seal never decides anything: the check falls back to
# re-signing, so the answer is always the one re-signing gives.

SEAL_BYTES = 16  # 128-bit tag
_SEAL_PERSON = b"jndj-seal-v1"  # BLAKE2b personalisation: this key and tag are for seals only


@functools.lru_cache(maxsize=4)
def _seal_key(key: Ed25519PrivateKey) -> bytes:
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return hashlib.blake2b(raw, digest_size=32, person=_SEAL_PERSON).digest()


def _tag(key: Ed25519PrivateKey, message: bytes, signature: bytes) -> bytes:
    # The signature is a fixed 64 bytes after the message: the two cannot be cut apart another way.
    return hashlib.blake2b(message + signature, key=_seal_key(key), digest_size=SEAL_BYTES).digest()


def seal(certificate) -> bytes:
    """The seal of ``certificate``'s printed fields and the signature :func:`sign` gives them, under the
    current key (what ``Certificate.save`` stores)."""
    message = canonical_bytes(certificate)
    key = private_key()
    return _tag(key, message, key.sign(message))


def check(certificate, signature_text: str) -> SignatureCheck:
    """Whether ``signature_text`` signs ``certificate``'s printed fields, under the current key or a
    retired one.

    Ed25519 signatures are deterministic (RFC 8032), and every signature the portal prints is one it
    made: with the private key at hand, re-signing and comparing in constant time (about 70 us) gives
    the same answer as a public-key verification (about 210 us) and is what the busy verification page
    does. A record's seal, when it matches, answers without either (:func:`seal`). Retired keys are
    checked by verification."""
    signature = decode_signature(signature_text)
    if signature is None:
        return SignatureCheck(False)
    message = canonical_bytes(certificate)
    key = private_key()
    stored = getattr(certificate, "signature_seal", None)
    if stored and hmac.compare_digest(_tag(key, message, signature), bytes(stored)):
        return SignatureCheck(True, _own_key_id(key), sealed=True)
    if hmac.compare_digest(key.sign(message), signature):
        return SignatureCheck(True, _own_key_id(key))
    for public in accepted_public_keys()[1:]:
        if verify_with(public, signature, message):
            return SignatureCheck(True, key_id(public))
    return SignatureCheck(False)


@functools.lru_cache(maxsize=4)
def _own_key_id(key: Ed25519PrivateKey) -> str:
    """:func:`key_id` of a private key's public key, once per key (about 3 us a verification; issue 42)."""
    return key_id(key.public_key())


def verify_with(public: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    """A plain public-key verification (what a third party does with the published key)."""
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def check_with_public_keys(certificate, signature_text: str, keys=None) -> SignatureCheck:
    """The same answer as :func:`check`, using only public keys (the offline command's way)."""
    signature = decode_signature(signature_text)
    if signature is None:
        return SignatureCheck(False)
    message = canonical_bytes(certificate)
    for public in keys if keys is not None else accepted_public_keys():
        if verify_with(public, signature, message):
            return SignatureCheck(True, key_id(public))
    return SignatureCheck(False)
