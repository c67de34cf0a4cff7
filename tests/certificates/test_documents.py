"""Certificates of holders of any document type (issue 43 slice 3): the certificate carries the document
type (existing rows read as 居民身份证, their signatures unchanged), the batch checks the number by its type
and takes the sex from the document where it carries one, the PDF prints the type where it is not a
resident ID, and the signature covers it."""

import io
import json

import pytest
from pypdf import PdfReader
from stdnum.cn import ric

from certificates import issuance, lookup, printing, signing
from certificates.models import Certificate, IssuanceItem
from portal.identifiers import DocumentKind
from tests.certificates.factories import CertificateFactory, OccupationFactory, batch, candidate

pytestmark = pytest.mark.django_db

HK_PERMIT = "H12345678"
PASSPORT = "USA123456789"
_PERMIT_BODY = (
    "81000019880808003"  # a Hong Kong resident's residence permit: a man (3 is odd), born 1988-08-08
)
RESIDENCE_PERMIT = _PERMIT_BODY + ric.calc_check_digit(_PERMIT_BODY + "0")


@pytest.fixture
def chef():
    return OccupationFactory(chef=True)


def issue(*people):
    b = batch(candidates=list(people))
    issuance.run_batch(b.pk)
    b.refresh_from_db()
    return b


def test_a_certificate_made_before_the_field_reads_as_a_resident_id_and_signs_as_before():
    certificate = CertificateFactory()
    certificate.refresh_from_db()
    assert certificate.document_kind == DocumentKind.RESIDENT_ID and not certificate.shows_document_kind
    # the canonical form of a resident ID certificate is the one printed before document types
    values = json.loads(signing.canonical_bytes(certificate))
    assert values[0] == signing.CANONICAL_VERSION and len(values) == 1 + len(signing.SIGNED_FIELDS)
    assert certificate.masked_number == certificate.id_number[:6] + "*" * 8 + certificate.id_number[-4:]


def test_a_hong_kong_resident_and_a_foreigner_are_issued_certificates_with_their_types(chef):
    b = issue(
        candidate(0, chef, document_kind=DocumentKind.HK_MACAO_PERMIT, id_number="ｈ1234 5678", sex="男"),
        candidate(1, chef, document_kind="护照", id_number="usa-123456789", sex="女"),
    )
    assert b.issued_count == 2 and b.refused_count == 0
    hk, foreigner = Certificate.objects.order_by("source_key")
    assert (hk.document_kind, hk.id_number, hk.sex) == (DocumentKind.HK_MACAO_PERMIT, HK_PERMIT, "M")
    assert (foreigner.document_kind, foreigner.id_number, foreigner.sex) == (
        DocumentKind.PASSPORT,
        PASSPORT,
        "F",
    )
    assert hk.masked_number == "H12****78" and foreigner.masked_number.startswith("USA")


def test_the_sex_comes_from_the_document_where_it_carries_one(chef):
    issue(candidate(0, chef, document_kind=DocumentKind.RESIDENCE_PERMIT, id_number=RESIDENCE_PERMIT, sex=""))
    assert Certificate.objects.get().sex == "M"


def test_where_the_document_carries_no_sex_it_must_be_given(chef):
    b = batch(
        candidates=[
            candidate(0, chef, document_kind=DocumentKind.HK_MACAO_PERMIT, id_number=HK_PERMIT, sex="")
        ]
    )
    item = b.items.get()
    assert item.status == IssuanceItem.Status.REFUSED and "性别" in item.reason


@pytest.mark.parametrize(
    "kind, number, named",
    [
        (DocumentKind.HK_MACAO_PERMIT, "X12345678", "港澳居民来往内地通行证"),
        (DocumentKind.PASSPORT, "XXX123456", "护照"),
        (
            DocumentKind.RESIDENCE_PERMIT,
            RESIDENCE_PERMIT[:-1] + ("0" if RESIDENCE_PERMIT[-1] != "0" else "1"),
            "校验位",
        ),
    ],
)
def test_a_wrong_number_is_refused_by_its_type(chef, kind, number, named):
    b = batch(candidates=[candidate(0, chef, document_kind=kind, id_number=number)])
    item = b.items.get()
    assert item.status == IssuanceItem.Status.REFUSED and named in item.reason
    assert item.document_kind == kind


def test_the_pdf_prints_the_type_where_it_is_not_a_resident_id(chef):
    issue(
        candidate(
            0, chef, name="陈大文", document_kind=DocumentKind.HK_MACAO_PERMIT, id_number=HK_PERMIT, sex="男"
        ),
        candidate(1, chef, name="张伟"),
    )
    hk = Certificate.objects.get(holder_name="陈大文")
    resident = Certificate.objects.get(holder_name="张伟")
    hk_text = (
        PdfReader(io.BytesIO(printing.render_certificates([hk])[0])).pages[0].extract_text().replace(" ", "")
    )
    assert "证件类型" in hk_text and "港澳居民来往内地通行证" in hk_text and HK_PERMIT in hk_text
    resident_text = PdfReader(io.BytesIO(printing.render_certificates([resident])[0])).pages[0].extract_text()
    assert "证件类型" not in resident_text.replace(" ", "") and resident.id_number in resident_text


def test_the_signature_covers_the_document_type():
    certificate = CertificateFactory(document_kind=DocumentKind.PASSPORT, id_number=PASSPORT)
    signature = signing.sign(certificate)
    assert signing.check(certificate, signature).ok
    certificate.document_kind = DocumentKind.PERMANENT_RESIDENCE
    assert not signing.check(certificate, signature).ok
    certificate.document_kind = DocumentKind.RESIDENT_ID
    assert not signing.check(certificate, signature).ok


def test_a_certificate_of_a_passport_holder_verifies_by_its_qr_code():
    certificate = CertificateFactory(document_kind=DocumentKind.PASSPORT, id_number=PASSPORT)
    verification = lookup.verify(certificate.code, signing.sign(certificate))
    assert verification.outcome == lookup.Outcome.VALID


def test_the_ministry_export_carries_each_holders_document_type():
    from openpyxl import load_workbook

    from certificates import export

    resident = CertificateFactory(holder_name="张伟")
    hk = CertificateFactory(
        holder_name="陈大文", document_kind=DocumentKind.HK_MACAO_PERMIT, id_number=HK_PERMIT
    )
    foreigner = CertificateFactory(
        holder_name="JOHN SMITH", document_kind=DocumentKind.PASSPORT, id_number=PASSPORT
    )
    sheet = load_workbook(io.BytesIO(export.write_xlsx(export.select())))["证书数据"]
    rows = {row[1]: (row[4], row[5]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[resident.code] == ("居民身份证", resident.id_number)
    assert rows[hk.code] == ("港澳居民来往内地通行证", HK_PERMIT)
    assert rows[foreigner.code] == ("护照", PASSPORT)
