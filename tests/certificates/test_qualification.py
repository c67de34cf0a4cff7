"""The 市人社局's 职业资格证书 (seed 002 附件1 四(六): 鉴定成绩合格的，由市人社局核发职业资格证书): its own
numbering rule (certificates/README.md "The 职业资格证书 number"), issuing for a reported 鉴定 (the bureau
only, once per candidate), the PDF read back, and the public answers naming the kind and the issuer."""

import datetime
import io

import pytest
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from appraisals.constants import State
from certificates import lookup, offline, pdf_signing, printing, qualification, revocation
from certificates.allocation import SerialExhausted, allocate_code, allocate_qualification_code
from certificates.codes import QUALIFICATION_PREFIX, CertificateCode, parse_code
from certificates.constants import (
    QUALIFICATION_INSTITUTION,
    QUALIFICATION_ISSUER_NAME,
    QUALIFICATION_LETTER,
    QUALIFICATION_PROVINCE,
    QUALIFICATION_ROUTE,
    SERIAL_MAX,
)
from certificates.models import Certificate, CertificateSerialCounter
from certificates.urls_for import verification_url
from portal import audit
from portal.errors import NotPermitted
from portal.models import Notification
from tests.appraisals.factories import World, in_state, scored_candidate
from tests.certificates.factories import CertificateFactory
from tests.certificates.factories_lookup import fresh_rate_limits  # noqa: F401

pytestmark = pytest.mark.django_db

ISSUED_ON = datetime.date(2026, 9, 1)


@pytest.fixture
def world():
    return World.build()


@pytest.fixture
def reported(world):
    """A reported 鉴定 of 车工 中级工: two candidates passed (one at the pass mark), one failed theory."""
    appraisal = in_state(world.enterprise, world.enterprise_user, State.REPORTED, work_type="数控车工")
    scored_candidate(appraisal, 0, theory=70, practical=80)
    scored_candidate(appraisal, 1, theory=59, practical=90)
    scored_candidate(appraisal, 2, theory=60, practical=60)
    return appraisal


def issue(appraisal, actor):
    return qualification.issue_for_appraisal(appraisal, actor, on=ISSUED_ON)


# --- the numbering rule --------------------------------------------------------------------------------


def test_the_qualification_number_has_the_22_character_shape_with_the_bureaus_fixed_parts():
    code = CertificateCode(*QUALIFICATION_PREFIX, year=2026, level=4, serial=1)
    assert str(code) == "Z000012000000264000001"
    assert len(str(code)) == 22 and lookup.CODE_PATTERN.match(str(code))
    assert (QUALIFICATION_LETTER, QUALIFICATION_ROUTE, QUALIFICATION_PROVINCE, QUALIFICATION_INSTITUTION) == (
        "Z",
        "0000",
        "12",
        "000000",
    )
    parsed = parse_code("Z000012000000264000001")
    assert parsed == code and parsed.is_qualification
    assert not parse_code("S000012011001263000001").is_qualification


@pytest.mark.parametrize(
    "text",
    [
        "Z000012000000264000000",  # serial below 000001
        "Z000012000000260000001",  # level 0
        "Z000012000000266000001",  # level 6
        "Z000112000000264000001",  # a filing route: the bureau has none
        "Z000011000000264000001",  # another province
        "Z000012011001264000001",  # an institution's sequence: the bureau is not one
        "X000012000000264000001",  # neither Y, S nor Z
        "Z00001200000026400001",  # 21 characters
    ],
)
def test_a_malformed_qualification_number_is_refused_naming_the_part(text):
    with pytest.raises(ValueError):
        parse_code(text)


@pytest.mark.parametrize("level", [1, 5])
def test_the_serial_boundaries_000001_and_999999_then_exhausted(level):
    with transaction.atomic():
        first = allocate_qualification_code(2026, level)
    assert first.serial == 1
    assert str(first) == f"Z00001200000026{level}000001"
    CertificateSerialCounter.objects.filter(kind="Z", level=level).update(last_serial=SERIAL_MAX - 1)
    with transaction.atomic():
        last = allocate_qualification_code(2026, level)
    assert str(last) == f"Z00001200000026{level}999999"
    with pytest.raises(SerialExhausted), transaction.atomic():
        allocate_qualification_code(2026, level)


def test_the_qualification_counter_is_its_own_row_beside_an_institutions():
    with transaction.atomic():
        grade = allocate_code(("S", "0000", "12", "011001"), 2026, 3)
        qualified = allocate_qualification_code(2026, 3)
        again = allocate_qualification_code(2027, 3)
    assert (grade.serial, qualified.serial, again.serial) == (1, 1, 1)  # per prefix, year and level
    assert str(qualified) != str(grade)
    assert CertificateSerialCounter.objects.filter(kind="Z").count() == 2


# --- issuing -------------------------------------------------------------------------------------------


def test_the_bureau_issues_one_certificate_to_each_candidate_who_passed(world, reported):
    certificates = issue(reported, world.bureau)
    assert [c.holder_name for c in certificates] == ["王考生0", "王考生2"]  # 59 in theory failed
    for c in certificates:
        assert c.kind == Certificate.Kind.QUALIFICATION and c.is_qualification
        assert c.institution_id is None and c.institution_name == QUALIFICATION_ISSUER_NAME
        assert c.code.startswith("Z000012000000264") and c.level == 4
        assert c.issue_date == ISSUED_ON and c.work_type == "数控车工" and c.sex == "M"
        assert c.source_key == f"appraisals.candidate:{c.appraisal_candidate_id}"
    assert [c.serial for c in certificates] == [1, 2]
    reported.refresh_from_db()
    assert reported.state == State.ISSUED
    trail = audit.trail(reported).filter(event="appraisal_certificates_issued").get()
    assert (trail.from_state, trail.to_state, trail.actor) == ("reported", "issued", world.bureau)
    assert audit.trail(certificates[0]).filter(event="certificate_qualification_issued").count() == 1


def test_the_certificate_carries_the_candidates_document_kind(world, reported):
    """Issue 43: a candidate the 鉴定 roster names by a passport gets a certificate of that type and
    number, with the sex the roster gave (a passport does not carry it); the others stay 居民身份证."""
    from appraisals.models import AppraisalCandidate
    from portal.identifiers import DocumentKind

    AppraisalCandidate.objects.create(
        appraisal=reported,
        row=20,
        name="John Smith",
        document_kind=DocumentKind.PASSPORT,
        id_number="USA123456789",
        sex="女",
        level=4,
        eligible=True,
        theory_score=80,
        practical_score=80,
    )
    certificates = {c.holder_name: c for c in issue(reported, world.bureau)}
    passport = certificates["John Smith"]
    assert (passport.document_kind, passport.id_number, passport.sex) == (
        DocumentKind.PASSPORT,
        "USA123456789",
        "F",
    )
    assert certificates["王考生0"].document_kind == DocumentKind.RESIDENT_ID


def test_issuing_again_gives_the_same_certificates_and_no_new_number(world, reported):
    first = issue(reported, world.bureau)
    reported.refresh_from_db()
    again = issue(reported, world.bureau)
    assert [c.pk for c in again] == [c.pk for c in first]
    assert Certificate.objects.count() == 2
    assert CertificateSerialCounter.objects.get(kind="Z", level=4).last_serial == 2


def test_the_database_holds_one_certificate_per_candidate(world, reported):
    first = issue(reported, world.bureau)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateFactory(
            kind=Certificate.Kind.QUALIFICATION,
            appraisal_candidate=first.appraisal_candidate,
            code="Z000012000000264000099",
        )


@pytest.mark.parametrize("who", ["centre", "enterprise_user", "other_user", "expert"])
def test_only_the_bureau_issues(world, reported, who):
    with pytest.raises(NotPermitted):
        issue(reported, getattr(world, who))
    reported.refresh_from_db()
    assert reported.state == State.REPORTED
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("state", [State.ARRANGED, State.PUBLICISED])
def test_nothing_is_issued_before_the_report(world, state):
    appraisal = in_state(world.enterprise, world.enterprise_user, state)
    scored_candidate(appraisal, 0)
    with pytest.raises(NotPermitted):
        issue(appraisal, world.bureau)
    assert not Certificate.objects.exists()
    assert not CertificateSerialCounter.objects.exists()


# --- the PDF, the public answers, revocation ------------------------------------------------------------


@pytest.fixture
def issued(world, reported):
    return issue(reported, world.bureau)[0]


def test_the_pdf_says_qualification_certificate_and_the_bureau_and_is_signed(issued):
    data, html = printing.render_certificates([issued])
    text = "".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "职业资格证书" in text and "职业技能等级证书" not in text
    assert QUALIFICATION_ISSUER_NAME in text and "发证机关" in text
    assert issued.code in text and "王考生0" in text
    assert printing.qr_png_data_uri(offline.qr_text(issued)) in html
    report = pdf_signing.check_pdf(data)
    assert report.signed and report.intact and report.unmodified


def test_one_pdf_prints_one_kind(issued):
    with pytest.raises(ValueError):
        printing.render_certificates([issued, CertificateFactory()])


def test_the_qr_verification_says_qualification_certificate_and_the_bureau(client, issued):
    response = client.get(verification_url(issued))
    assert response.status_code == 200
    page = response.content.decode()
    assert "职业资格证书" in page and QUALIFICATION_ISSUER_NAME in page and "发证机关" in page
    result = lookup.verify(issued.code, verification_url(issued).split("s=")[1])
    assert result.outcome == "valid" and result.certificate.kind == "qualification"


@pytest.mark.usefixtures("fresh_rate_limits")
def test_the_public_lookup_says_qualification_certificate(client, issued):
    response = client.post("/certificates/lookup/", {"by": "code", "code": issued.code, "name": "王考生0"})
    page = response.content.decode()
    assert 'data-testid="field-kind">职业资格证书<' in page
    assert f'data-testid="field-issuer">{QUALIFICATION_ISSUER_NAME}<' in page


@pytest.mark.usefixtures("fresh_rate_limits")
def test_the_api_answers_with_the_kind_and_the_issuer(client, issued):
    data = client.get("/api/v1/certificates/verify", {"code": issued.code, "name": "王考生0"}).json()
    assert (data["kind"], data["kind_label"]) == ("qualification", "职业资格证书")
    assert (data["issuer_label"], data["institution_name"]) == ("发证机关", QUALIFICATION_ISSUER_NAME)


@pytest.mark.usefixtures("fresh_rate_limits")
def test_a_grade_certificate_still_says_grade_and_institution(client):
    cert = CertificateFactory(holder_name="王芳")
    data = client.get("/api/v1/certificates/verify", {"code": cert.code, "name": "王芳"}).json()
    assert (data["kind"], data["kind_label"], data["issuer_label"]) == (
        "grade",
        "职业技能等级证书",
        "评价机构",
    )


def test_revocation_works_and_tells_the_enterprise_not_the_staff(world, issued):
    revocation.revoke(issued, "弄虚作假取得", world.centre, on=ISSUED_ON)
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED
    assert lookup.verify(issued.code, verification_url(issued).split("s=")[1]).outcome == "revoked"
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert world.enterprise_user.pk in told
    assert not told & {world.bureau.pk, world.centre.pk, world.expert.pk}
