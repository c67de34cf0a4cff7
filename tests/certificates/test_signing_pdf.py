"""The PDF's own PAdES signature (pyHanko): present, read back as valid and intact; a modified PDF
fails; a configured PKCS#12 key is used instead of the self-signed default."""

import datetime
import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from certificates import pdf_signing, printing
from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def plain_pdf():
    import weasyprint

    return weasyprint.HTML(string="<p>证书</p>").write_pdf()


def test_certificate_pdfs_are_signed_and_read_back_valid_and_intact():
    pdf, _html = printing.render_certificates([CertificateFactory()])
    report = pdf_signing.check_pdf(pdf)
    assert report.signed and report.intact and report.valid and report.unmodified and report.trusted
    assert report.ok
    assert "技能认定门户" in report.signer


def test_the_signature_is_pades(plain_pdf):
    from pyhanko.pdf_utils.reader import PdfFileReader

    signed = pdf_signing.sign_pdf(plain_pdf)
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.field_name == pdf_signing.FIELD_NAME
    # the original bytes are kept in front: the signature is an incremental update
    assert signed.startswith(plain_pdf[:-64])


def test_a_byte_changed_inside_the_signed_range_fails(plain_pdf):
    signed = bytearray(pdf_signing.sign_pdf(plain_pdf))
    at = signed.find(b"/MediaBox")
    signed[at + 12] = ord("9") if signed[at + 12] != ord("9") else ord("8")
    report = pdf_signing.check_pdf(bytes(signed))
    assert report.signed and not report.intact and not report.ok


def test_content_added_after_signing_shows_as_modified(plain_pdf):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = pdf_signing.sign_pdf(plain_pdf)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    stream = writer.add_object(generic.StreamObject(stream_data=b"q 0 0 1 rg 10 10 50 50 re f Q"))
    writer.add_stream_to_page(0, stream)
    out = io.BytesIO()
    writer.write(out)
    report = pdf_signing.check_pdf(out.getvalue())
    assert report.intact and not report.unmodified and not report.ok


def test_a_pdf_rewritten_by_another_tool_fails(plain_pdf):
    import pypdf

    signed = pdf_signing.sign_pdf(plain_pdf)
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(signed)))
    writer.add_metadata({"/Title": "changed"})
    out = io.BytesIO()
    writer.write(out)
    assert not pdf_signing.check_pdf(out.getvalue()).ok


def test_an_unsigned_pdf_is_reported_unsigned(plain_pdf):
    assert pdf_signing.check_pdf(plain_pdf).signed is False


def test_signing_can_be_switched_off(settings, plain_pdf):
    settings.CERTIFICATE_PDF_SIGNING_ENABLED = False
    assert pdf_signing.sign_pdf(plain_pdf) == plain_pdf


def test_a_configured_pkcs12_key_signs_instead_of_the_self_signed_default(settings, tmp_path, plain_pdf):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "天津市职业技能鉴定指导中心 测试签章")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "signer.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", key, cert, None, serialization.BestAvailableEncryption(b"secret")
        )
    )
    settings.CERTIFICATE_PDF_SIGNING_PKCS12 = str(path)
    settings.CERTIFICATE_PDF_SIGNING_PASSPHRASE = "secret"
    assert not pdf_signing.is_self_signed()
    signed = pdf_signing.sign_pdf(plain_pdf)
    report = pdf_signing.check_pdf(signed, trust_roots=[cert])
    assert report.ok and report.trusted and "测试签章" in report.signer
    # against the default self-signed certificate it is intact but not trusted
    settings.CERTIFICATE_PDF_SIGNING_PKCS12 = ""
    assert not pdf_signing.check_pdf(signed).trusted


def test_signing_inside_a_running_event_loop(plain_pdf):
    """An ASGI server or Playwright has a running loop in the thread: the signature is still made."""
    import asyncio

    async def inside():
        return pdf_signing.sign_pdf(plain_pdf)

    assert pdf_signing.check_pdf(asyncio.run(inside())).ok


def test_the_signing_certificate_attribute_is_pyhankos_own_and_matches_the_certificate(plain_pdf):
    """Issue 42: the signing-certificate-v2 attribute is built once per signer; its bytes are what
    pyHanko builds, and a validator finds the signer's certificate by it."""
    from asn1crypto import tsp
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.general import as_signing_certificate_v2

    signed = pdf_signing.sign_pdf(plain_pdf)
    signer_info = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].signer_info
    values = [
        a["values"][0] for a in signer_info["signed_attrs"] if a["type"].native == "signing_certificate_v2"
    ]
    assert len(values) == 1
    certificate = pdf_signing._signer().signing_cert
    assert values[0].dump() == as_signing_certificate_v2(certificate).dump()
    assert (
        tsp.SigningCertificateV2.load(values[0].dump())["certs"][0]["cert_hash"].native == certificate.sha256
    )


def test_the_placeholder_is_sized_once_per_signer_and_every_signature_fits(plain_pdf, monkeypatch):
    """Issue 42: pyHanko's dry-run CMS (the placeholder's size) is made once per signer, not per PDF."""
    from pyhanko.sign.signers.pdf_signer import PdfSigningSession

    def estimate_again(*args, **kwargs):
        raise AssertionError("the placeholder was sized again")

    pdf_signing.sign_pdf(plain_pdf)
    monkeypatch.setattr(PdfSigningSession, "estimate_signature_container_size", estimate_again)
    for reason in ("职业技能等级电子证书", "职业资格电子证书" * 20):
        assert pdf_signing.check_pdf(pdf_signing.sign_pdf(plain_pdf, reason=reason)).ok
