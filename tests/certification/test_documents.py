"""Candidates identified by any document type (issue 43 slice 2): the plan roster's 证件类型 column, the
type stored with the candidate, the score sheet matching by number (and type where given), and the pages
masking each number by its type's rule (portal.identifiers.mask_document)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from stdnum.cn import ric

from certification import imports
from certification.models import Candidate
from portal.identifiers import DocumentKind, mask_document
from tests.certification.factories import (
    OCCUPATION_CODE,
    CandidateFactory,
    PlanFactory,
    filed_institution,
    person_id,
    roster_xlsx,
)

pytestmark = pytest.mark.django_db

HK_PERMIT = "H12345678"
PASSPORT = "USA123456789"
PERMIT = "81000019900101001" + ric.calc_check_digit("810000199001010010")


def wrong_check(body: str) -> str:
    """A 17-digit GB 11643 body with a check character that is not its own."""
    right = ric.calc_check_digit(body + "0")
    return body + ("0" if right != "0" else "1")


HEADER = [
    "姓名",
    "身份证号码",
    "证件类型",
    "出生日期",
    "性别",
    "职业代码",
    "申报等级",
    "从事本职业年限",
    "与本单位关系",
]


def xlsx(data):
    return SimpleUploadedFile("r.xlsx", data, content_type="application/octet-stream")


def roster(rows, header=HEADER) -> bytes:
    """rows of (name, number, 证件类型[, 出生日期, 性别]); occupation, level 4, 6 years and 本单位职工 filled in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for name, number, kind, *facts in rows:
        birth, sex = facts or ("", "")
        cells = [name, number, kind, birth, sex, OCCUPATION_CODE, 4, 6, "本单位职工"]
        sheet.append(cells if "出生日期" in header else cells[:3] + cells[5:])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet(header, rows) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(header)
    for row in rows:
        worksheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def plan(alice):
    filed_institution(alice.institution)
    return PlanFactory(institution=alice.institution, staffed=True, created_by=alice)


def test_a_row_made_before_the_field_reads_as_a_resident_id():
    candidate = CandidateFactory()
    candidate.refresh_from_db()
    assert candidate.document_kind == DocumentKind.RESIDENT_ID and not candidate.shows_document_kind
    assert candidate.masked_number == candidate.id_number[:6] + "*" * 8 + candidate.id_number[-4:]


def test_the_number_holds_a_passport_with_its_country_code():
    longest = "GBR" + "A" * 20
    candidate = CandidateFactory.build(
        plan=PlanFactory(), document_kind=DocumentKind.PASSPORT, id_number="gbr " + "a" * 20
    )
    candidate.clean()
    candidate.save()
    candidate.refresh_from_db()
    assert candidate.id_number == longest


def test_the_model_checks_the_number_by_its_type():
    candidate = CandidateFactory.build(document_kind=DocumentKind.HK_MACAO_PERMIT, id_number="X12345678")
    with pytest.raises(ValidationError) as error:
        candidate.clean()
    assert "港澳居民来往内地通行证" in error.value.message_dict["id_number"][0]


def test_a_roster_with_a_hong_kong_resident_and_a_foreigner_imports(plan, alice):
    rows = [
        ("张三", person_id(1), ""),
        ("陈大文", "ｈ１２３４ ５６７８", "港澳居民来往内地通行证", "1988-05-06", "男"),
        ("JOHN SMITH", "usa-123456789", "护照", "1985-02-03", "M"),
        ("林小明", PERMIT, "港澳台居民居住证"),
    ]
    result = imports.import_roster(plan, xlsx(roster(rows)), alice)

    assert result.ok, result.errors
    assert result.count == 4
    people = {c.name: c for c in plan.candidates.all()}
    assert people["张三"].document_kind == DocumentKind.RESIDENT_ID and people["张三"].sex == "男"
    hong_kong, foreigner = people["陈大文"], people["JOHN SMITH"]
    assert (hong_kong.document_kind, hong_kong.id_number) == (DocumentKind.HK_MACAO_PERMIT, HK_PERMIT)
    assert (foreigner.document_kind, foreigner.id_number) == (DocumentKind.PASSPORT, PASSPORT)
    assert hong_kong.sex == "男" and foreigner.sex == "男"  # the documents do not carry it: the 性别 column
    assert people["林小明"].document_kind == DocumentKind.RESIDENCE_PERMIT and people["林小明"].sex == "男"


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        (wrong_check(PERMIT[:17]), "港澳台居民居住证"),
        ("X12345678", "港澳居民来往内地通行证"),
        ("1234567", "台湾居民来往大陆通行证"),
        (wrong_check("91000019900101001"), "外国人永久居留身份证"),
        ("XXX123456789", "护照"),
    ],
)
def test_a_wrong_number_is_refused_with_a_message_naming_the_type(plan, alice, number, kind):
    result = imports.import_roster(plan, xlsx(roster([("某某", number, kind)])), alice)
    assert not result.ok and plan.candidates.count() == 0
    ((line, message),) = result.errors
    assert line == 2 and kind in message


def test_a_wrong_resident_id_check_digit_is_refused(plan, alice):
    wrong = wrong_check(person_id(1)[:17])
    result = imports.import_roster(plan, xlsx(roster([("某某", wrong, "居民身份证")])), alice)
    assert not result.ok and "居民身份证号码校验位不正确" in result.errors[0][1]


def test_duplicates_are_per_type_and_number(plan, alice):
    rows = [("甲", "12345678", "台湾居民来往大陆通行证", "1990-01-01", "男")] * 2
    result = imports.import_roster(plan, xlsx(roster(rows)), alice)
    assert not result.ok and "与第 2 行重复" in result.errors[0][1]

    # The same characters under another type are another person's document.
    rows = [
        ("甲", HK_PERMIT, "港澳居民来往内地通行证", "1990-01-01", "男"),
        ("乙", "USA" + HK_PERMIT, "护照", "1991-01-01", "女"),
    ]
    assert imports.import_roster(plan, xlsx(roster(rows)), alice).ok


def test_the_old_layout_without_the_column_still_reads(plan, alice):
    result = imports.import_roster(plan, xlsx(roster_xlsx([("张三", person_id(1), 4, 6)])), alice)
    assert result.ok
    assert plan.candidates.get().document_kind == DocumentKind.RESIDENT_ID


class TestScores:
    @pytest.fixture
    def approved(self, alice):
        filed_institution(alice.institution)
        plan = PlanFactory(institution=alice.institution, approved=True)
        CandidateFactory(plan=plan, id_number=person_id(1))
        CandidateFactory(plan=plan, document_kind=DocumentKind.HK_MACAO_PERMIT, id_number=HK_PERMIT)
        CandidateFactory(plan=plan, document_kind=DocumentKind.PASSPORT, id_number=PASSPORT)
        return plan

    def test_matched_by_number_alone(self, approved, alice):
        data = sheet(
            ["身份证号码", "理论知识成绩", "技能操作成绩"], [(person_id(1), 70, 70), ("h12345678", 80, 80)]
        )
        result = imports.import_scores(approved, xlsx(data), alice)
        assert result.ok, result.errors
        assert approved.candidates.get(id_number=HK_PERMIT).theory_score == 80

    def test_matched_by_type_and_number_where_the_sheet_has_the_type(self, approved, alice):
        header = ["证件号码", "证件类型", "理论知识成绩", "技能操作成绩"]
        data = sheet(header, [("USA-123456789", "护照", 90, 90)])
        assert imports.import_scores(approved, xlsx(data), alice).ok
        assert approved.candidates.get(id_number=PASSPORT).theory_score == 90

        wrong_type = sheet(header, [(HK_PERMIT, "台湾居民来往大陆通行证", 90, 90)])
        result = imports.import_scores(approved, xlsx(wrong_type), alice)
        ((_line, message),) = result.errors
        assert "台湾居民来往大陆通行证号码" in message and "不在本方案" in message

    def test_the_template_carries_the_type(self, approved):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(imports.score_template(approved)))
        rows = list(workbook.active.iter_rows(values_only=True))
        assert rows[0][:3] == ("姓名", "身份证号码", "证件类型")
        assert {row[2] for row in rows[1:]} == {"居民身份证", "港澳居民来往内地通行证", "护照"}

    def test_the_template_reads_back(self, approved, alice):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(imports.score_template(approved)))
        rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
        for row in rows[1:]:
            row[4] = row[5] = 75
        data = sheet(rows[0], rows[1:])
        assert imports.import_scores(approved, xlsx(data), alice).ok
        assert approved.candidates.filter(theory_score=75).count() == 3


class TestPages:
    @pytest.fixture
    def candidates(self, plan):
        return {
            kind: CandidateFactory(plan=plan, document_kind=kind, id_number=number)
            for kind, number in (
                (DocumentKind.RESIDENT_ID, person_id(1)),
                (DocumentKind.HK_MACAO_PERMIT, HK_PERMIT),
                (DocumentKind.PASSPORT, PASSPORT),
            )
        }

    def test_the_candidate_page_names_the_type_and_masks_by_it(self, client, alice, plan, candidates):
        client.force_login(alice)
        for kind, candidate in candidates.items():
            page = client.get(
                reverse("certification:candidate", args=[plan.pk, candidate.pk])
            ).content.decode()
            assert mask_document(kind, candidate.id_number) in page
            assert candidate.id_number not in page
            assert ('data-testid="document-kind"' in page) is (kind != DocumentKind.RESIDENT_ID)
        page = client.get(reverse("certification:candidate", args=[plan.pk, candidates["passport"].pk]))
        assert "USA" in page.content.decode() and "护照" in page.content.decode()

    def test_the_roster_table_names_the_type_where_it_is_not_a_resident_id(
        self, client, alice, plan, candidates
    ):
        client.force_login(alice)
        page = client.get(reverse("certification:plan", args=[plan.pk])).content.decode()
        for kind, candidate in candidates.items():
            assert mask_document(kind, candidate.id_number) in page and candidate.id_number not in page
        assert page.count('data-testid="document-kind"') == 2
        assert "港澳居民来往内地通行证" in page and "护照" in page


def test_masking_hides_as_much_of_every_type():
    assert (
        Candidate(document_kind=DocumentKind.HK_MACAO_PERMIT, id_number=HK_PERMIT).masked_number
        == "H12****78"
    )
    assert Candidate(document_kind=DocumentKind.PASSPORT, id_number=PASSPORT).masked_number == "USA123****89"


def test_the_plan_template_offers_the_column():
    from openpyxl import load_workbook

    from eligibility import roster as eligibility_roster

    template = eligibility_roster.write_template(titles=False, plan=True)
    sheet = load_workbook(io.BytesIO(template)).active
    header = [c.value for c in sheet[1]]
    assert header[-4:] == ["证件类型", "出生日期", "性别", "与本单位关系"]
    notes = [row[0] for row in load_workbook(io.BytesIO(template))["填写说明"].iter_rows(values_only=True)]
    assert "证件类型" in notes
