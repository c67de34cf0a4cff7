"""PAdES signatures on certificate PDFs (pyHanko), so an edited PDF shows as modified in any reader.

The PDF is *certified* (a DocMDP certification signature allowing no changes) with PAdES baseline B-B
(B-T when a timestamp server is configured). Reading a signed certificate back: :func:`check_pdf`.

Which key signs (see certificates/README.md "Signing keys" for how to configure a real one), read from
Django settings or, failing that, from environment variables of the same names:

- ``CERTIFICATE_PDF_SIGNING_PKCS12`` (path to a .p12/.pfx) and ``CERTIFICATE_PDF_SIGNING_PASSPHRASE``; or
- ``CERTIFICATE_PDF_SIGNING_KEY_FILE`` + ``CERTIFICATE_PDF_SIGNING_CERT_FILE`` (PEM or DER, key
  unencrypted or with ``CERTIFICATE_PDF_SIGNING_PASSPHRASE``), with the issuing CA certificates in
  ``CERTIFICATE_PDF_SIGNING_CHAIN_FILES`` (comma-separated paths);
- otherwise a self-signed certificate made on first use: an ECDSA P-256 key derived from SECRET_KEY
  (so every process signs with the same key without storing one), subject ``CERTIFICATE_PDF_SIGNER_NAME``.
  A reader then says "signed, signer not trusted" but still flags any modification.

``CERTIFICATE_PDF_TIMESTAMP_URL``: an RFC 3161 timestamp server (PAdES B-T); none by default, signing
stays offline. ``CERTIFICATE_PDF_SIGNING_ENABLED`` (default True) switches signing off, e.g. for a
benchmark of the bare renderer.
"""

import datetime
import functools
import hashlib
import io
import os
import threading
from dataclasses import dataclass

from django.conf import settings

DEFAULT_SIGNER_NAME = "技能认定门户 电子证书签章（自签名）"
FIELD_NAME = "CertificateSignature"
# Fixed validity for the derived self-signed certificate, so every process builds the same one.
SELF_SIGNED_NOT_BEFORE = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
SELF_SIGNED_NOT_AFTER = datetime.datetime(2049, 12, 31, tzinfo=datetime.UTC)


def _setting(name: str, default=""):
    value = getattr(settings, name, None)
    if value in (None, ""):
        value = os.environ.get(name, default)
    return value


def enabled() -> bool:
    value = _setting("CERTIFICATE_PDF_SIGNING_ENABLED", True)
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off")
    return bool(value)


@functools.lru_cache(maxsize=4)
def _self_signed(secret_key: str, signer_name: str):
    """(private key, certificate) of the development signer, both pyca/cryptography objects."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    digest = hashlib.sha256(b"certificate pdf signing v1" + secret_key.encode()).digest()
    # P-256 order is just under 2**256: reduce the digest into [1, order - 1].
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    key = ec.derive_private_key(int.from_bytes(digest, "big") % (order - 1) + 1, ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "技能认定门户"),
            x509.NameAttribute(NameOID.COMMON_NAME, signer_name),
        ]
    )
    serial = int.from_bytes(hashlib.sha256(digest).digest()[:16], "big") >> 1
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(SELF_SIGNED_NOT_BEFORE)
        .not_valid_after(SELF_SIGNED_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _configured_signer():
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko.sign import signers

    passphrase = _setting("CERTIFICATE_PDF_SIGNING_PASSPHRASE") or None
    if isinstance(passphrase, str):
        passphrase = passphrase.encode()
    chain_setting = _setting("CERTIFICATE_PDF_SIGNING_CHAIN_FILES")
    chain_files = (
        [p.strip() for p in chain_setting.split(",") if p.strip()]
        if isinstance(chain_setting, str)
        else list(chain_setting or [])
    )
    pkcs12_path = _setting("CERTIFICATE_PDF_SIGNING_PKCS12")
    if pkcs12_path:
        with open(pkcs12_path, "rb") as handle:
            data = handle.read()
        other = list(load_certs_from_pemder(chain_files)) if chain_files else []
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=other, passphrase=passphrase)
    key_file, cert_file = (
        _setting("CERTIFICATE_PDF_SIGNING_KEY_FILE"),
        _setting("CERTIFICATE_PDF_SIGNING_CERT_FILE"),
    )
    if key_file and cert_file:
        signer = signers.SimpleSigner.load(
            key_file, cert_file, ca_chain_files=chain_files or None, key_passphrase=passphrase
        )
        if signer is None:
            raise ValueError("CERTIFICATE_PDF_SIGNING_KEY_FILE / _CERT_FILE could not be loaded")
        return signer
    return None


def signing_certificate():
    """The pyca/cryptography certificate PDFs are signed with (for the About page and tests)."""
    from cryptography import x509

    signer = _signer()
    return x509.load_der_x509_certificate(signer.signing_cert.dump())


def is_self_signed() -> bool:
    return not (
        _setting("CERTIFICATE_PDF_SIGNING_PKCS12")
        or (_setting("CERTIFICATE_PDF_SIGNING_KEY_FILE") and _setting("CERTIFICATE_PDF_SIGNING_CERT_FILE"))
    )


def _signer():
    return _signer_for(
        settings.SECRET_KEY,
        str(_setting("CERTIFICATE_PDF_SIGNER_NAME", DEFAULT_SIGNER_NAME)),
        str(_setting("CERTIFICATE_PDF_SIGNING_PKCS12")),
        str(_setting("CERTIFICATE_PDF_SIGNING_KEY_FILE")),
        str(_setting("CERTIFICATE_PDF_SIGNING_CERT_FILE")),
    )


@functools.lru_cache(maxsize=4)
def _signer_for(secret_key, signer_name, *_configured_paths):
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    configured = _configured_signer()
    if configured is not None:
        return _with_fixed_signing_certificate_attribute(configured)
    key, certificate = _self_signed(secret_key, signer_name)
    return _with_fixed_signing_certificate_attribute(
        signers.SimpleSigner(
            signing_cert=translate_pyca_cryptography_cert_to_asn1(certificate),
            signing_key=translate_pyca_cryptography_key_to_asn1(key),
            cert_registry=SimpleCertificateStore(),
        )
    )


def _with_fixed_signing_certificate_attribute(signer):
    """The signer, with PAdES's signing-certificate-v2 attribute (the hash, issuer and serial of its
    certificate: the same in every signature) built once instead of on every PDF.

    Issue 42: pyHanko builds that attribute from Python values for each signature, and asn1crypto
    encodes such a built value again on every read of its bytes (nested SET OF sorting reads them
    hundreds of times): two thirds of the CMS's cost. Parsed back from its DER once, the same value is
    read from those bytes as they are. The attribute's bytes in the signature are unchanged."""
    from asn1crypto import tsp
    from pyhanko.sign.attributes import CMSAttributeProvider, SigningCertificateV2Provider
    from pyhanko.sign.general import as_signing_certificate_v2

    fixed = tsp.SigningCertificateV2.load(as_signing_certificate_v2(signer.signing_cert).dump())

    class FixedSigningCertificateV2(CMSAttributeProvider):
        attribute_type = SigningCertificateV2Provider.attribute_type

        async def build_attr_value(self, dry_run=False):
            return fixed

    providers = signer._signed_attr_providers

    def signed_attr_providers(*args, **kwargs):
        for provider in providers(*args, **kwargs):
            yield (
                FixedSigningCertificateV2()
                if isinstance(provider, SigningCertificateV2Provider)
                else provider
            )

    signer._signed_attr_providers = signed_attr_providers
    return signer


def sign_pdf(pdf: bytes, *, reason: str = "职业技能等级电子证书", location: str = "") -> bytes:
    """The PDF with a PAdES certification signature appended (an incremental update: the original
    bytes are kept intact in front). Returns ``pdf`` unchanged when signing is switched off."""
    if not enabled():
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm

    timestamper = None
    tsa_url = _setting("CERTIFICATE_PDF_TIMESTAMP_URL")
    if tsa_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(tsa_url)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location or None,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    output = io.BytesIO()
    signer = _signer()
    pdf_signer = signers.PdfSigner(metadata, signer=signer, timestamper=timestamper)
    # Issue 42: pyHanko sizes the signature's placeholder by building and dumping a whole dummy CMS
    # before the real one, on every PDF (a third of the signing time). Offline, the CMS of one signer
    # has the same size every time (its certificates, fixed-size attributes, an ECDSA/RSA signature
    # of bounded length), so that estimate is made once per process and signer; with a timestamp
    # server the token's size varies and pyHanko estimates each time as before.
    reserved = None if timestamper is not None else _bytes_reserved(signer)
    _run_async(lambda: pdf_signer.async_sign_pdf(writer, bytes_reserved=reserved, output=output))
    return output.getvalue()


@functools.lru_cache(maxsize=4)
def _bytes_reserved(signer) -> int:
    """Bytes for the hex-encoded CMS in the PDF: pyHanko's own estimate (a dry-run CMS, doubled for
    hex, plus its 50 % margin), made once for the signer."""
    from cryptography.hazmat.primitives import hashes
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    async def estimate():
        dummy = await signer.async_sign(
            hashes.Hash(hashes.SHA256()).finalize(),
            "sha256",
            use_pades=True,
            dry_run=True,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=datetime.datetime.now(datetime.UTC)),
        )
        length = len(dummy.dump()) * 2
        return length + 2 * (length // 4)

    return _run_async(estimate)


def _run_async(make_coroutine):
    """Runs pyHanko's coroutine to its end on this thread's own event loop, kept between calls (its
    synchronous API starts and tears down a new loop with asyncio.run() on every call). A thread that
    already has a running event loop (an ASGI server, Playwright in tests) runs it in a helper thread."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _thread_loop().run_until_complete(make_coroutine())
    return _outside_event_loop(lambda: asyncio.run(make_coroutine()))


_loops = threading.local()


def _thread_loop():
    import asyncio

    loop = getattr(_loops, "loop", None)
    if loop is None or loop.is_closed():
        loop = _loops.loop = asyncio.new_event_loop()
    return loop


def _outside_event_loop(call):
    """A synchronous call that runs asyncio.run() (pyHanko's synchronous API), which refuses to run in
    a thread that already has a running event loop (an ASGI server, Playwright in tests): then it runs
    in a helper thread."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


@dataclass(frozen=True)
class PdfSignatureReport:
    signed: bool
    intact: bool = False  # the signed bytes hash to what was signed
    valid: bool = False  # the cryptographic signature is correct
    unmodified: bool = False  # nothing was added after signing (or only harmless updates)
    signer: str = ""
    trusted: bool = False  # the signer chains to a trust root we were given

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.unmodified


def check_pdf(pdf: bytes, trust_roots=None) -> PdfSignatureReport:
    """Reads the PDF's signature back with pyHanko. ``trust_roots``: pyca certificates to trust
    (default: the certificate this installation signs with)."""
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return PdfSignatureReport(signed=False)
    if not signatures:
        return PdfSignatureReport(signed=False)
    roots = trust_roots if trust_roots is not None else [signing_certificate()]
    context = ValidationContext(
        trust_roots=[translate_pyca_cryptography_cert_to_asn1(c) for c in roots], allow_fetching=False
    )
    signature = signatures[-1]
    try:
        status = _outside_event_loop(lambda: validate_pdf_signature(signature, context))
    except Exception:
        return PdfSignatureReport(signed=True)
    return PdfSignatureReport(
        signed=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        unmodified=_unmodified(status),
        signer=status.signing_cert.subject.human_friendly,
        trusted=bool(status.trusted),
    )


def _unmodified(status) -> bool:
    """Nothing was appended after signing, or only what a validator may add (LTA updates)."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.docmdp_ok is not False
        and status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
    )


def public_key_fingerprint() -> str:
    """SHA-256 of the signing certificate's public key (SubjectPublicKeyInfo), stable across the
    processes of one installation."""
    from cryptography.hazmat.primitives import serialization

    spki = (
        signing_certificate()
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return hashlib.sha256(spki).hexdigest()
