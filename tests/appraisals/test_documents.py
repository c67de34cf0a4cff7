"""The 鉴定 roster names candidates by any document type (issue 43 slice 4): the 证件类型, 出生日期 and 性别
columns read through eligibility.roster, the type stored with the candidate, a wrong number refused naming
its type, the old layout read as resident IDs, the score sheet matching by type and number, and the pages
masking each number by its type's rule (portal.identifiers.mask_document)."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from appraisals import workflow
from appraisals.models import AppraisalCandidate
from portal.identifiers import DocumentKind, mask_document
from tests.appraisals.factories import World, arranged_with_roster
from tests.certification.factories import person_id, roster_xlsx

pytestmark = pytest.mark.django_db

CODE = "6-18-01-01"
HK_PERMIT = "H12345678"
PASSPORT = "USA123456789"
HEADER = ["姓名", "证件号码", "证件类型", "出生日期", "性别", "职业代码", "申报等级", "从事本职业年限"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(
        datetime.datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


@pytest.fixture
def world():
    return World.build()


def roster(rows) -> SimpleUploadedFile:
    """rows of (name, number, 证件类型[, 出生日期, 性别]); the occupation, level 4 and 6 years filled in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for name, number, kind, *rest in rows:
        birth, sex = (list(rest) + ["", ""])[:2]
        sheet.append([name, number, kind, birth, sex, CODE, 4, 6])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("名册.xlsx", out.getvalue(), content_type="application/octet-stream")


def test_a_roster_with_a_hong_kong_permit_and_a_passport_imports(world, client):
    appraisal = world.appraisal(levels={4: 3})
    upload = roster(
        [
            ("张三", person_id(1), "居民身份证"),
            ("陈大文", "h1234 5678", "港澳居民来往内地通行证", "1990-05-01", "男"),
            ("John Smith", "usa-123456789", "护照", "1988-03-02", "女"),
        ]
    )
    result = workflow.import_roster(appraisal, world.enterprise_user, upload)
    assert result.ok, result.errors
    rows = {c.name: c for c in appraisal.candidates.all()}
    assert (rows["张三"].document_kind, rows["张三"].sex) == (DocumentKind.RESIDENT_ID, "男")
    permit, passport = rows["陈大文"], rows["John Smith"]
    assert (permit.document_kind, permit.id_number, permit.sex) == (
        DocumentKind.HK_MACAO_PERMIT,
        HK_PERMIT,
        "男",
    )
    assert (passport.document_kind, passport.id_number, passport.sex) == (
        DocumentKind.PASSPORT,
        PASSPORT,
        "女",
    )
    assert permit.eligible and passport.eligible

    # the enterprise's page shows each number masked by its type's rule, with the type where not a resident ID
    client.force_login(world.enterprise_user)
    page = client.get(reverse("appraisals:edit", args=[appraisal.pk])).content.decode()
    assert mask_document(DocumentKind.PASSPORT, PASSPORT) in page and "护照" in page
    assert mask_document(DocumentKind.HK_MACAO_PERMIT, HK_PERMIT) in page
    assert PASSPORT not in page and HK_PERMIT not in page


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("H1234567", "港澳居民来往内地通行证"),  # 7 digits
        ("USA12", "护照"),  # too short a number
        ("XXX123456789", "护照"),  # no such country
    ],
)
def test_a_wrong_number_is_refused_naming_the_type(world, number, kind):
    appraisal = world.appraisal(levels={4: 3})
    result = workflow.import_roster(
        appraisal, world.enterprise_user, roster([("某某", number, kind, "1990-01-01", "男")])
    )
    assert not result.ok and appraisal.candidates.count() == 0
    ((line, message),) = result.errors
    assert line == 2 and kind in message


def test_a_travel_permit_without_the_birth_date_is_refused(world):
    appraisal = world.appraisal(levels={4: 3})
    result = workflow.import_roster(
        appraisal, world.enterprise_user, roster([("陈大文", HK_PERMIT, "港澳居民来往内地通行证")])
    )
    assert not result.ok and any("出生日期" in message for _line, message in result.errors)


def test_an_old_file_without_the_column_reads_as_resident_ids(world):
    appraisal = world.appraisal(levels={4: 3})
    upload = SimpleUploadedFile("名册.xlsx", roster_xlsx([("张三", person_id(1), 4, 6)], code=CODE))
    assert workflow.import_roster(appraisal, world.enterprise_user, upload).ok
    candidate = appraisal.candidates.get()
    assert (candidate.document_kind, candidate.id_number) == (DocumentKind.RESIDENT_ID, person_id(1))


def test_the_same_number_under_two_types_is_two_people(world):
    appraisal = world.appraisal(levels={4: 3})
    rows = [
        ("甲", "12345678", "台湾居民来往大陆通行证", "1990-01-01", "男"),
        ("乙", "USA12345678", "护照", "1991-01-01", "女"),
    ]
    assert workflow.import_roster(appraisal, world.enterprise_user, roster(rows)).ok
    assert appraisal.candidates.count() == 2


def _sheet(header, rows):
    out = io.StringIO()
    out.write(",".join(header) + "\n")
    for row in rows:
        out.write(",".join(str(v) for v in row) + "\n")
    return SimpleUploadedFile("成绩单.csv", out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def test_the_score_sheet_finds_candidates_by_type_and_number(world):
    appraisal = arranged_with_roster(world, n=1)
    AppraisalCandidate.objects.create(
        appraisal=appraisal,
        row=10,
        name="John",
        document_kind=DocumentKind.PASSPORT,
        id_number=PASSPORT,
        level=4,
    )
    data = _sheet(["证件号码", "证件类型", "理论知识成绩"], [("usa123456789", "护照", 88)])
    assert workflow.import_scores(appraisal, world.centre, data).ok
    assert appraisal.candidates.get(id_number=PASSPORT).theory_score == 88

    # the right number under another type is not on the roster, and the message names that type
    data = _sheet(["证件号码", "证件类型", "理论知识成绩"], [(HK_PERMIT, "港澳居民来往内地通行证", 88)])
    result = workflow.import_scores(appraisal, world.centre, data)
    ((_line, message),) = result.errors
    assert "港澳居民来往内地通行证号码" in message and HK_PERMIT not in message


def test_the_publicity_masks_each_number_by_its_type(world, client):
    appraisal = arranged_with_roster(world, n=1)
    AppraisalCandidate.objects.create(
        appraisal=appraisal,
        row=10,
        name="John",
        document_kind=DocumentKind.PASSPORT,
        id_number=PASSPORT,
        level=4,
        eligible=True,
    )
    for c in appraisal.candidates.all():
        workflow.enter_score(appraisal, world.centre, c, "theory", 70)
        workflow.enter_score(appraisal, world.enterprise_user, c, "practical", 70)
    workflow.publicise(appraisal, world.centre)
    page = client.get(reverse("appraisals:publicity", args=[appraisal.pk])).content.decode()
    assert mask_document(DocumentKind.PASSPORT, PASSPORT) in page and PASSPORT not in page
