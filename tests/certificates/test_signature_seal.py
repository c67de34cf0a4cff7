"""The signature seal (issue 42 item 1): the verification page checks a QR code's signature against the
record's keyed seal before re-signing. It may only make the answer cheaper, never different: whatever
happens to the record, its seal or the key, ``signing.check`` answers as a public-key verification does."""

import datetime
import io

import pytest
from django.core.management import call_command

from certificates import lookup, sealing, signing
from certificates.models import Certificate
from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db

Outcome = lookup.Outcome


def row(cert):
    """The record as the verification page reads it (one SELECT, plain values)."""
    return lookup.certificate_row(cert.code)


def stored_seal(cert) -> bytes | None:
    value = Certificate.objects.values_list("signature_seal", flat=True).get(pk=cert.pk)
    return bytes(value) if value is not None else None


def same_answer(record, signature: str) -> signing.SignatureCheck:
    """signing.check's answer, asserted equal to what the published keys alone say."""
    check = signing.check(record, signature)
    assert check.ok == signing.check_with_public_keys(record, signature).ok
    return check


def test_a_saved_certificate_is_sealed_and_its_printed_signature_matches_the_seal():
    cert = CertificateFactory()
    assert stored_seal(cert) == signing.seal(cert) and len(stored_seal(cert)) == signing.SEAL_BYTES
    check = same_answer(row(cert), signing.sign(cert))
    assert check.ok and check.sealed and check.key_id == signing.key_id()
    assert lookup.verify(cert.code, signing.sign(cert)).outcome == Outcome.VALID


def test_a_wrong_signature_does_not_match_a_good_seal():
    first, second = CertificateFactory(), CertificateFactory()
    check = same_answer(row(second), signing.sign(first))
    assert not check.ok and not check.sealed


def test_a_field_changed_behind_the_models_back_fails_though_the_old_seal_stays():
    cert = CertificateFactory(holder_name="王芳")
    signature = signing.sign(cert)
    Certificate.objects.filter(pk=cert.pk).update(holder_name="王芬")  # no save(): the seal is stale
    assert stored_seal(cert) == signing.seal(cert)  # the old fields' seal
    check = same_answer(row(cert), signature)
    assert not check.ok
    assert lookup.verify(cert.code, signature).outcome == Outcome.MISMATCH


def test_an_altered_or_missing_seal_falls_back_to_re_signing():
    cert = CertificateFactory()
    signature = signing.sign(cert)
    for value in (b"\x00" * signing.SEAL_BYTES, bytes(reversed(signing.seal(cert))), None):
        Certificate.objects.filter(pk=cert.pk).update(signature_seal=value)
        check = same_answer(row(cert), signature)
        assert check.ok and not check.sealed
    # and a record's seal cannot vouch for another record's fields: the seal of another certificate
    other = CertificateFactory()
    Certificate.objects.filter(pk=cert.pk).update(signature_seal=stored_seal(other))
    assert not same_answer(row(cert), signing.sign(other)).ok


def test_save_seals_again_when_it_writes_a_printed_field_and_only_then():
    cert = CertificateFactory(holder_name="王芳")
    first = stored_seal(cert)
    cert.holder_name = "王芬"
    cert.save(update_fields=["holder_name"])
    assert stored_seal(cert) == signing.seal(cert) != first
    assert same_answer(row(cert), signing.sign(cert)).sealed
    cert.revoked_reason = "弄虚作假"
    cert.signature_seal = b"\x01" * signing.SEAL_BYTES  # not written: no printed field in update_fields
    cert.save(update_fields=["revoked_reason"])
    assert stored_seal(cert) == signing.seal(cert)


def test_a_rotated_key_seals_nothing_old_and_the_old_signature_still_verifies(settings):
    settings.CERTIFICATE_SIGNING_KEY = signing.new_private_key_text()
    cert = CertificateFactory()
    old_signature, old_public = signing.sign(cert), signing.public_key_b64()
    settings.CERTIFICATE_SIGNING_KEY = signing.new_private_key_text()
    settings.CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEYS = [old_public]
    check = same_answer(row(cert), old_signature)  # the old key's seal does not match under the new key
    assert check.ok and not check.sealed and check.key_id == signing.key_id(signing.accepted_public_keys()[1])
    sealing.reseal()
    assert same_answer(row(cert), signing.sign(cert)).sealed  # the new key's printouts, once resealed
    assert same_answer(row(cert), old_signature).ok


def test_the_command_seals_the_missing_then_with_all_the_stale_and_says_how_many():
    sealed, missing, stale = CertificateFactory.create_batch(3)
    Certificate.objects.filter(pk=missing.pk).update(signature_seal=None)
    Certificate.objects.filter(pk=stale.pk).update(issue_date=datetime.date(2020, 1, 2))
    out = io.StringIO()
    call_command("seal_certificates", stdout=out)  # after the upgrade: the records without a seal
    assert out.getvalue().strip() == "1 certificates checked, 1 seals written"
    stale.refresh_from_db()
    assert stored_seal(missing) == signing.seal(missing) and stored_seal(stale) != signing.seal(stale)
    out = io.StringIO()
    call_command("seal_certificates", "--all", stdout=out)  # after a key rotation: every record
    assert out.getvalue().strip() == "3 certificates checked, 1 seals written"
    for cert in (sealed, missing, stale):
        cert.refresh_from_db()
        assert stored_seal(cert) == signing.seal(cert)
        assert same_answer(row(cert), signing.sign(cert)).sealed
    assert sealing.reseal() == (3, 0)


def test_the_seal_is_bound_to_the_signature_it_was_made_with():
    cert = CertificateFactory()
    good = signing.decode_signature(signing.sign(cert))
    flipped = bytes([good[0] ^ 1]) + good[1:]
    assert not same_answer(row(cert), signing.b64url(flipped)).ok
