"""Whom an institution assesses (issue 33 item 4): an employer filed on route Y its own staff, 劳务派遣,
劳务外包 and 实习 staff included (seed 001 第二条); a school on route Y its own students (seed 000 一,
seed 004 二(四)); a social organisation (route S) anyone. The plan roster's 与本单位关系 column says which,
and a row outside the rule is refused with the clause in the message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification import imports, rules
from certification.constants import Relation
from eligibility import roster as eligibility_roster

from .factories import PlanFactory, filed_institution, person_id, roster_xlsx

EMPLOYER_STAFF = [Relation.EMPLOYEE, Relation.DISPATCHED, Relation.OUTSOURCED, Relation.INTERN]


@pytest.mark.parametrize("relation", EMPLOYER_STAFF)
def test_seed_001_article_2_an_employer_assesses_every_kind_of_its_own_staff(relation):
    assert rules.relation_refusal(relation, "Y", "enterprise") is None


@pytest.mark.parametrize("relation", [Relation.STUDENT, Relation.PUBLIC])
def test_seed_001_article_2_an_employer_assesses_no_one_else(relation):
    refusal = rules.relation_refusal(relation, "Y", "enterprise")
    assert "天津市职业技能等级认定工作管理办法" in refusal and "第二条" in refusal
    assert str(Relation(relation).label) in refusal


@pytest.mark.parametrize("kind", ["technician_college", "technical_school", "vocational_school"])
def test_seed_004_2_4_a_school_on_route_y_assesses_its_own_students_only(kind):
    assert rules.relation_refusal(Relation.STUDENT, "Y", kind) is None
    for relation in (*EMPLOYER_STAFF, Relation.PUBLIC):
        refusal = rules.relation_refusal(relation, "Y", kind)
        assert "关于开展技工院校职业技能等级认定工作的通知" in refusal and "二(四)" in refusal


@pytest.mark.parametrize("relation", [*Relation.values, None])
def test_a_social_organisation_assesses_anyone(relation):
    assert rules.relation_refusal(relation, "S", "industry_association") is None


def test_on_route_y_the_relation_must_be_given():
    refusal = rules.relation_refusal(None, "Y", "enterprise")
    assert "与本单位关系" in refusal and "劳务派遣人员" in refusal


@pytest.mark.parametrize(
    "text, relation",
    [
        ("本单位职工", Relation.EMPLOYEE),
        ("劳务派遣", Relation.DISPATCHED),
        ("业务外包", Relation.OUTSOURCED),
        (" 实习 生 ", Relation.INTERN),
        ("本校学生", Relation.STUDENT),
        ("社会人员", Relation.PUBLIC),
        ("", None),
        ("临时工", None),
    ],
)
def test_the_words_a_clerk_writes(text, relation):
    assert rules.parse_relation(text) == relation


@pytest.mark.django_db
class TestRoster:
    def _import(self, alice, rows, route="Y", kind="enterprise", **kwargs):
        filed_institution(alice.institution, route=route, kind=kind)
        plan = PlanFactory(institution=alice.institution, staffed=True, created_by=alice)
        upload = SimpleUploadedFile("r.xlsx", roster_xlsx(rows, **kwargs))
        return plan, imports.import_roster(plan, upload, alice)

    def test_each_row_outside_the_rule_is_refused_by_line(self, alice):
        rows = [
            ("张三", person_id(1), 4, 6, None, None, "劳务派遣"),
            ("李四", person_id(2), 4, 6, None, None, "社会人员"),
            ("王五", person_id(3), 4, 6, None, None, "临时工"),
            ("赵六", person_id(4), 4, 6, None, None, ""),
        ]
        plan, result = self._import(alice, rows)
        errors = dict(result.errors)
        assert set(errors) == {3, 4, 5}
        assert "社会人员不能参加" in errors[3] and "第二条" in errors[3]
        assert "无法识别" in errors[4]
        assert "请在“与本单位关系”列填写" in errors[5]
        assert plan.candidates.count() == 0  # nothing stored from a refused roster

    def test_the_relation_is_kept_with_the_candidate(self, alice, client):
        plan, result = self._import(alice, [("张三", person_id(1), 4, 6, None, None, "在企业实习人员")])
        assert result.ok, result.errors
        candidate = plan.candidates.get()
        assert candidate.relation == Relation.INTERN
        client.force_login(alice)
        page = client.get(reverse("certification:candidate", args=[plan.pk, candidate.pk])).content.decode()
        assert "在企业实习人员" in page

    def test_a_social_organisation_roster_needs_no_relation(self, alice):
        _plan, result = self._import(
            alice, [("张三", person_id(1), 4, 6)], route="S", kind="industry_association", relation=""
        )
        assert result.ok, result.errors


@pytest.mark.django_db
def test_the_plan_template_has_the_column_and_the_eligibility_template_has_not(client, alice):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(alice)
    plan_header = [
        c.value
        for c in load_workbook(BytesIO(client.get(reverse("certification:roster_template")).content)).active[
            1
        ]
    ]
    assert plan_header[-1] == "与本单位关系"
    assert "与本单位关系" not in [
        c.value for c in load_workbook(BytesIO(eligibility_roster.write_template())).active[1]
    ]
