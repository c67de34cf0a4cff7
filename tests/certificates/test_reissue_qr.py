"""Issue 45 item 4: `manage.py reissue_qr` prints a stored batch PDF again with the new QR code (the link and
the signed payload); the certificates do not change, and both QR forms verify."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from certificates import issuance, lookup, offline, printing
from certificates.models import Certificate
from certificates.urls_for import verification_url
from tests.certificates.factories import OccupationFactory, batch, candidate
from tests.certificates.test_qr_zbar import needs_tools, zbar

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(chef, alice):
    b = batch(alice.institution, [candidate(n, chef) for n in range(2)], actor=alice)
    issuance.run_batch(b.pk)
    b.refresh_from_db()
    return b


@pytest.fixture
def chef():
    return OccupationFactory(chef=True)


def fields(b):
    ids = [c.pk for c in printing.batch_certificates(b)]
    return list(Certificate.objects.filter(pk__in=ids).order_by("code").values())


def query_of(link: str) -> str:
    return link.split("?s=", 1)[1]


@needs_tools
def test_the_stored_pdf_is_printed_again_with_the_payload_and_nothing_else_changes(
    finished, tmp_path, client
):
    before, old_name = fields(finished), finished.pdf.name
    out = io.StringIO()
    call_command("reissue_qr", "--batch", str(finished.pk), stdout=out)
    finished.refresh_from_db()
    assert "1 batch PDF(s) printed again" in out.getvalue()
    assert finished.pdf.name != old_name and default_storage.exists(finished.pdf.name)
    assert fields(finished) == before
    certificates = printing.batch_certificates(finished)
    texts = zbar(default_storage.open(finished.pdf.name).read(), tmp_path)
    assert texts == [offline.qr_text(c) for c in certificates]
    for certificate, text in zip(certificates, texts, strict=True):
        new_link, payload = text.split("#")
        old_link = verification_url(certificate)  # what the holder's paper copy carries
        assert new_link == old_link
        assert lookup.verify(certificate.code, query_of(old_link)).matches
        assert offline.decode(payload).code == certificate.code


def test_a_dry_run_changes_nothing_and_an_unknown_batch_is_refused(finished):
    old_name = finished.pdf.name
    out = io.StringIO()
    call_command("reissue_qr", "--all", "--dry-run", stdout=out)
    finished.refresh_from_db()
    assert finished.pdf.name == old_name
    assert f"batch {finished.pk}:" in out.getvalue()
    with pytest.raises(CommandError, match="no stored PDF for batch 999999"):
        call_command("reissue_qr", "--batch", "999999")
    with pytest.raises(CommandError, match="--batch ID"):
        call_command("reissue_qr")
