"""`python manage.py verify_certificate <url-or-code-or-pdf>`: the same answer as the page, offline
(public keys only, no web server, no rate limit, no log)."""

import io

import pytest
from django.core.management import call_command

from certificates import printing, signing
from certificates.management.commands.verify_certificate import parse_target
from certificates.models import Certificate, LookupEvent
from certificates.urls_for import verification_url
from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_certificate", *args, stdout=out, stderr=out)
    return exit_info.value.code, out.getvalue()


def test_parse_target_reads_urls_paths_and_codes():
    assert parse_target("https://x.org/certificates/verify/S000012011001263000001/?s=abc") == (
        "S000012011001263000001",
        "abc",
    )
    assert parse_target("/certificates/verify/s000012011001263000001?s=abc") == (
        "S000012011001263000001",
        "abc",
    )
    assert parse_target(" s000012011001263000001 ") == ("S000012011001263000001", "")


def test_a_valid_url(settings):
    cert = CertificateFactory(holder_name="王芳")
    code, out = run(verification_url(cert))
    assert code == 0 and "VALID" in out and "王芳" in out
    assert cert.id_number not in out
    assert LookupEvent.objects.count() == 0  # offline: not a public lookup


def test_a_revoked_certificate():
    cert = CertificateFactory(revoked=True)
    code, out = run(verification_url(cert))
    assert code == 1 and "REVOKED" in out and cert.revoked_on.isoformat() in out


def test_an_altered_record_or_signature():
    cert = CertificateFactory()
    url = verification_url(cert)
    Certificate.objects.filter(pk=cert.pk).update(level=2)
    code, out = run(url)
    assert code == 2 and "MISMATCH" in out


def test_an_unknown_code_and_a_bare_code():
    cert = CertificateFactory()
    assert run(cert.code[:-6] + "999999")[0] == 2
    code, out = run(cert.code)
    assert code == 2 and "UNSIGNED" in out


def test_it_uses_only_public_keys(settings, monkeypatch):
    cert = CertificateFactory()
    url = verification_url(cert)

    def no_private_key(*args, **kwargs):
        raise AssertionError("the offline check must not need the private key to verify")

    public = signing.accepted_public_keys()
    monkeypatch.setattr(signing, "accepted_public_keys", lambda: public)
    monkeypatch.setattr(signing, "check", no_private_key)
    assert run(url)[0] == 0


def test_a_signed_pdf_and_a_modified_one(tmp_path):
    pdf, _html = printing.render_certificates([CertificateFactory()])
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf)
    code, out = run(str(good))
    assert code == 0 and "intact" in out
    bad = bytearray(pdf)
    at = bad.find(b"/MediaBox")
    bad[at + 12] = ord("9") if bad[at + 12] != ord("9") else ord("8")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(bad))
    code, out = run(str(tampered))
    assert code == 2 and "MODIFIED" in out


def test_new_key_prints_a_usable_key(settings):
    out = io.StringIO()
    call_command("verify_certificate", "--new-key", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith("CERTIFICATE_SIGNING_KEY=")
    settings.CERTIFICATE_SIGNING_KEY = line.split("=", 1)[1]
    assert not signing.is_development_key()
    cert = CertificateFactory()
    assert run(verification_url(cert))[0] == 0
