"""The QR code's signature (STYLE.md "Verification of printed certificates"): Ed25519 over the printed
fields; a changed name, level or code fails; a revoked certificate says revoked; the key settings."""

import base64
import datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse

from certificates import lookup, offline, printing, signing
from certificates.models import LookupEvent
from certificates.urls_for import verification_url
from tests.certificates.factories import CertificateFactory
from tests.certificates.factories_lookup import fresh_rate_limits, signed_path  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

Outcome = lookup.Outcome


def main_part(response) -> str:
    """The page's <main> (the navigation around it carries a CSRF token and the current path)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_verification_url_carries_the_code_and_a_compact_signature(settings):
    settings.PORTAL_PUBLIC_URL = "https://zs.example.org"
    cert = CertificateFactory()
    url = verification_url(cert)
    assert url.startswith(f"https://zs.example.org/certificates/verify/{cert.code}/?s=")
    signature = url.split("?s=", 1)[1]
    assert len(signature) == 86 and "=" not in signature
    assert base64.urlsafe_b64decode(signature + "==") == signing.decode_signature(signature)
    # Ed25519 is deterministic: the same certificate always prints the same link
    assert verification_url(cert) == url


def test_a_third_party_can_check_the_signature_with_the_published_key_alone():
    cert = CertificateFactory()
    signature = signing.decode_signature(signing.sign(cert))
    public = serialization.load_pem_public_key(signing.public_key_pem().encode())
    public.verify(signature, signing.canonical_bytes(cert))  # raises if wrong
    assert signing.canonical_bytes(cert).startswith(b'["jndj-certificate-v1","' + cert.code.encode())


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("holder_name", "张玮"),
        ("level", 2),
        ("id_number", "120101199001010029"),
        ("occupation_name", "西式烹调师"),
        ("work_type", "电焊工"),
        ("institution_name", "另一家培训学校"),
        ("issue_date", datetime.date(2020, 1, 1)),
    ],
)
def test_a_changed_printed_field_fails_verification(field, value):
    cert = CertificateFactory()
    signature = signing.sign(cert)
    assert lookup.verify(cert.code, signature).outcome == Outcome.VALID
    type(cert).objects.filter(pk=cert.pk).update(**{field: value})
    result = lookup.verify(cert.code, signature)
    assert result.outcome == Outcome.MISMATCH and result.certificate is None
    assert lookup.verify(cert.code, signature, public_keys_only=True).outcome == Outcome.MISMATCH


def test_a_signature_copied_onto_another_code_fails():
    first, second = CertificateFactory(), CertificateFactory()
    assert lookup.verify(second.code, signing.sign(first)).outcome == Outcome.MISMATCH


def test_a_changed_code_fails_even_with_the_rest_equal():
    cert = CertificateFactory()
    signature = signing.sign(cert)
    cert.code = cert.code[:-1] + ("2" if cert.code[-1] != "2" else "3")
    assert not signing.check(cert, signature).ok


@pytest.mark.parametrize("bad", ["", "abc", "A" * 86, "!" * 86, "A" * 85 + "=", "A" * 87])
def test_malformed_signatures_never_match(bad):
    cert = CertificateFactory()
    assert not signing.check(cert, bad).ok
    assert not signing.check_with_public_keys(cert, bad).ok


def test_a_revoked_certificate_verifies_as_revoked_with_its_date(client):
    cert = CertificateFactory(revoked=True)
    response = client.get(signed_path(cert))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-outcome="revoked"' in html
    assert f"该证书已于 {cert.revoked_on:%Y-%m-%d} 撤销" in html
    assert LookupEvent.objects.get().outcome == Outcome.REVOKED


def test_the_verification_page_shows_a_valid_certificate_with_the_id_masked(client):
    cert = CertificateFactory(holder_name="王芳")
    response = client.get(signed_path(cert))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-outcome="valid"' in html
    assert "王芳" in html and cert.code in html
    assert cert.id_number not in html and cert.id_number[:6] + "********" + cert.id_number[-4:] in html
    assert response["X-Robots-Tag"].startswith("noindex")
    event = LookupEvent.objects.get()
    assert (event.kind, event.outcome, event.code) == ("verify", "valid", cert.code)


def test_altered_unknown_and_unsigned_links_read_the_same_and_show_nothing(client):
    cert = CertificateFactory(holder_name="王芳")
    good = signing.sign(cert)
    tampered = ("B" if good[0] != "B" else "C") + good[1:]
    unknown_code = cert.code[:-6] + "999999"
    pages = [
        client.get(reverse("certificates:verify", args=[cert.code]) + "?s=" + tampered),
        client.get(reverse("certificates:verify", args=[unknown_code]) + "?s=" + good),
        client.get(reverse("certificates:verify", args=[cert.code])),
    ]
    assert [p.status_code for p in pages] == [404, 404, 404]
    bodies = [main_part(p).replace(unknown_code, cert.code) for p in pages]
    assert bodies[0] == bodies[1] == bodies[2]
    assert "证书信息与登记记录不符" in bodies[0] and "王芳" not in bodies[0]
    logged = list(LookupEvent.objects.order_by("id").values_list("outcome", flat=True))
    assert logged == ["mismatch", "not_found", "unsigned"]


def test_the_verification_page_is_rate_limited(client, settings):
    settings.CERTIFICATE_LOOKUP_RATE = "2/m"
    path = signed_path(CertificateFactory())
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 429]


def test_the_printed_qr_code_carries_the_verification_url():
    cert = CertificateFactory()
    _pdf, html = printing.render_certificates([cert])
    assert printing.qr_png_data_uri(offline.qr_text(cert)) in html  # issue 45: the link, then the payload


# --- Keys --------------------------------------------------------------------------------------------


def test_the_development_key_is_derived_from_secret_key(settings):
    settings.CERTIFICATE_SIGNING_KEY = ""
    first = signing.public_key_b64()
    assert signing.is_development_key()
    assert signing.public_key_b64() == first  # stable
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789abcdef"
    assert signing.public_key_b64() != first


def seed_of(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


@pytest.mark.parametrize("form", ["pem", "base64url", "base64", "hex"])
def test_a_configured_key_in_any_accepted_form(settings, form):
    key = Ed25519PrivateKey.generate()
    seed = seed_of(key)
    settings.CERTIFICATE_SIGNING_KEY = {
        "pem": key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
        "base64url": base64.urlsafe_b64encode(seed).decode().rstrip("="),
        "base64": base64.b64encode(seed).decode(),
        "hex": seed.hex(),
    }[form]
    assert not signing.is_development_key()
    assert signing.raw_public_key() == signing.raw_public_key(key.public_key())


def test_the_key_can_come_from_the_environment(settings, monkeypatch):
    settings.CERTIFICATE_SIGNING_KEY = ""
    text = signing.new_private_key_text()
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", text)
    assert not signing.is_development_key()
    assert signing.private_key().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    ) == Ed25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(text + "=")).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def test_certificates_printed_before_a_key_rotation_still_verify(settings):
    settings.CERTIFICATE_SIGNING_KEY = signing.new_private_key_text()
    cert = CertificateFactory()
    old_signature = signing.sign(cert)
    old_public = signing.public_key_b64()
    settings.CERTIFICATE_SIGNING_KEY = signing.new_private_key_text()
    assert lookup.verify(cert.code, old_signature).outcome == Outcome.MISMATCH
    settings.CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEYS = [old_public]
    assert lookup.verify(cert.code, old_signature).outcome == Outcome.VALID
    assert lookup.verify(cert.code, old_signature, public_keys_only=True).outcome == Outcome.VALID
    assert lookup.verify(cert.code, signing.sign(cert)).outcome == Outcome.VALID


def test_a_bad_key_setting_is_refused_clearly(settings):
    settings.CERTIFICATE_SIGNING_KEY = "too-short"
    with pytest.raises(ValueError, match="CERTIFICATE_SIGNING_KEY"):
        signing.private_key()


def test_the_about_page_publishes_the_public_key(client):
    response = client.get(reverse("certificates:about"))
    assert response.status_code == 200
    html = response.content.decode()
    assert signing.public_key_b64() in html
    assert "BEGIN PUBLIC KEY" in html and signing.key_id() in html
    assert "Ed25519" in html


def test_the_about_page_names_the_signed_fields_in_words(client):
    """Issue 29 item 8: each signed field by its name on the certificate, beside the key a verifier reads."""
    html = client.get(reverse("certificates:about")).content.decode()
    fields = html[html.index('data-testid="signed-fields"') :]
    fields = fields[: fields.index("</ol>")]
    assert fields.index("证书编号") < fields.index("<code>code</code>") < fields.index("姓名")
    assert "<code>holder_name</code>" in fields and "发证日期" in fields
