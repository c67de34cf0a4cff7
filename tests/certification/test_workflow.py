"""The plan workflow: scope, the submission rules, roster and score uploads, review, verification."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from certification import imports, issuable, summary, workflow
from certification.constants import Method, State, Verification
from certification.models import AssessmentPlan
from portal import audit
from tests.certification.factories import (
    CandidateFactory,
    PlanFactory,
    filed_institution,
    person_id,
    qualified_expert,
    roster_xlsx,
    scores_xlsx,
)
from tests.portal.factories import UserFactory

SUBMIT_ON = datetime.date(2026, 5, 20)  # a Wednesday; first allowed start 2026-05-27

pytestmark = pytest.mark.django_db


def xlsx(data, name="f.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def plan(alice):
    filed_institution(alice.institution)
    return PlanFactory(institution=alice.institution, staffed=True, created_by=alice)


def roster(n, level=4, years=6):
    return [(f"考生{i}", person_id(1000 + i), level, years) for i in range(n)]


class TestScope:
    def refusals(self, plan):
        return workflow.plan_refusals(plan, SUBMIT_ON)

    def test_within_scope_is_accepted(self, plan, alice):
        assert imports.import_roster(plan, xlsx(roster_xlsx(roster(5))), alice).ok
        assert self.refusals(plan) == []

    def test_level_not_filed(self, alice):
        filed_institution(alice.institution, levels="45")
        plan = PlanFactory(institution=alice.institution, staffed=True, levels=[3, 4])
        assert any("3 级不在本机构备案的等级范围内" in p for p in self.refusals(plan))

    def test_occupation_not_filed(self, alice):
        from portal.models import Occupation

        filed_institution(alice.institution)
        other = Occupation.objects.create(code="6-01-01-01", name="其他职业")
        plan = PlanFactory(institution=alice.institution, occupation=other)
        assert any("不在本机构备案的职业范围" in p for p in self.refusals(plan))

    def test_expired_filing(self, alice):
        filed_institution(alice.institution, valid_until=datetime.date(2026, 5, 19))
        plan = PlanFactory(institution=alice.institution)
        assert any("没有有效的备案" in p for p in self.refusals(plan))

    def test_revoked_filing(self, alice):
        from filings.constants import State as FilingState

        filed_institution(alice.institution, state=FilingState.REVOKED)
        plan = PlanFactory(institution=alice.institution)
        assert any("没有有效的备案" in p for p in self.refusals(plan))

    def test_methods_per_route(self, alice):
        filed_institution(alice.institution, route="S", kind="other")
        plan = PlanFactory(institution=alice.institution, methods=[Method.THEORY, Method.DIRECT])
        assert any("直接认定" in p for p in self.refusals(plan))


class TestPlanRules:
    def test_start_date_five_working_days(self, plan, alice):
        imports.import_roster(plan, xlsx(roster_xlsx(roster(3))), alice)
        plan.start_date = datetime.date(2026, 5, 26)
        assert any("最早开始日期为 2026-05-27" in p for p in workflow.plan_refusals(plan, SUBMIT_ON))
        plan.start_date = datetime.date(2026, 5, 27)
        assert workflow.plan_refusals(plan, SUBMIT_ON) == []

    def test_on_site_needs_more_than_15(self, plan, alice):
        plan.on_site = True
        plan.save()
        imports.import_roster(plan, xlsx(roster_xlsx(roster(15))), alice)
        problems = workflow.plan_refusals(plan, SUBMIT_ON)
        assert any("超过 15 人" in p for p in problems)
        imports.import_roster(plan, xlsx(roster_xlsx(roster(16))), alice)
        problems = workflow.plan_refusals(plan, SUBMIT_ON)
        assert not any("超过 15 人" in p for p in problems)
        assert any("考评员至少 5 人" in p for p in problems)  # 16 candidates need 5 assessors

    def test_supervisor_required(self, alice):
        filed_institution(alice.institution)
        plan = PlanFactory(institution=alice.institution)
        imports.import_roster(plan, xlsx(roster_xlsx(roster(3))), alice)
        problems = workflow.plan_refusals(plan, SUBMIT_ON)
        assert any("逢评必督" in p for p in problems)
        for role, id_number in (
            ("supervisor", person_id(300)),
            ("assessor", person_id(100)),
            ("assessor", person_id(101)),
        ):
            workflow.assign_staff(plan, alice, role, id_number)
        with pytest.raises(workflow.WorkflowError):
            workflow.assign_staff(plan, alice, "assessor", person_id(999))


class TestTransitions:
    def test_submit_approve_with_roles_and_audit(self, plan, alice, bob, carol):
        imports.import_roster(plan, xlsx(roster_xlsx(roster(3))), alice)
        with pytest.raises(workflow.NotPermitted):
            workflow.submit(plan, bob, on=SUBMIT_ON)
        workflow.submit(plan, alice, on=SUBMIT_ON)
        with pytest.raises(workflow.NotPermitted):
            workflow.approve(plan, alice)
        workflow.return_plan(plan, carol, "考场信息不完整")
        assert plan.state == State.RETURNED and plan.return_reason == "考场信息不完整"
        workflow.submit(plan, alice, on=SUBMIT_ON)
        workflow.approve(plan, carol)
        plan.refresh_from_db()
        assert plan.state == State.APPROVED
        events = [e.event for e in audit.trail(plan)]
        assert events[-4:] == [
            "certification_plan_submitted",
            "certification_plan_returned",
            "certification_plan_submitted",
            "certification_plan_approved",
        ]
        assert alice.notifications.filter(text__contains="审查通过").exists()

    def test_submit_refused_lists_problems(self, plan, alice):
        with pytest.raises(workflow.Refused) as refused:
            workflow.submit(plan, alice, on=SUBMIT_ON)
        assert "请上传考生名册。" in refused.value.problems

    def test_return_needs_reason(self, plan, carol):
        plan = PlanFactory(institution=plan.institution, submitted=True)
        with pytest.raises(workflow.WorkflowError):
            workflow.return_plan(plan, carol, "  ")

    def test_stale_plan_refused(self, plan, carol):
        submitted = PlanFactory(institution=plan.institution, submitted=True)
        other_copy = AssessmentPlan.objects.get(pk=submitted.pk)
        workflow.approve(submitted, carol)
        with pytest.raises(workflow.WorkflowError):
            workflow.return_plan(other_copy, carol, "迟到的退回")


class TestRoster:
    def test_eligible_and_not_with_clause(self, plan, alice):
        rows = [("张三", person_id(1), 4, 6), ("李四", person_id(2), 4, 1)]
        result = imports.import_roster(plan, xlsx(roster_xlsx(rows)), alice)
        assert result.ok and result.count == 2
        zhang, li = plan.candidates.order_by("row")
        assert zhang.eligible and zhang.clause == "二(一)" and zhang.sex == "男"
        assert not li.eligible and li.clause == "" and li.reasons
        assert not li.confirmed

    def test_row_errors_change_nothing(self, plan, alice):
        imports.import_roster(plan, xlsx(roster_xlsx(roster(2))), alice)
        rows = [("王五", person_id(3), 4, 6), ("", "123", 2, 6)]
        result = imports.import_roster(plan, xlsx(roster_xlsx(rows)), alice)
        assert not result.ok
        lines = {line for line, _ in result.errors}
        assert lines == {3}
        assert any("等级范围" in e for _, e in result.errors)
        assert plan.candidates.count() == 2

    def test_wrong_occupation(self, plan, alice):
        result = imports.import_roster(plan, xlsx(roster_xlsx(roster(1), code="6-01-01-01")), alice)
        assert any("与本方案的职业" in e for _, e in result.errors)

    def test_title_bridge(self, alice):
        filed_institution(alice.institution)
        plan = PlanFactory(institution=alice.institution, levels=[3])
        rows = [("赵工", person_id(5), 3, 0, "助理工程师", "2020-01-01")]
        result = imports.import_roster(plan, xlsx(roster_xlsx(rows)), alice)
        assert result.ok, result.errors
        candidate = plan.candidates.get()
        assert candidate.title_bridged and candidate.eligible

    def test_override_by_staff_only_with_reason(self, plan, alice, carol):
        imports.import_roster(plan, xlsx(roster_xlsx([("李四", person_id(2), 4, 1)])), alice)
        li = plan.candidates.get()
        with pytest.raises(workflow.NotPermitted):
            workflow.override_candidate(li, alice, "理由")
        with pytest.raises(workflow.WorkflowError):
            workflow.override_candidate(li, carol, "")
        workflow.override_candidate(li, carol, "经核实工作年限证明齐全")
        li.refresh_from_db()
        assert li.confirmed and li.override_by == carol

    def test_the_title_columns_of_the_eligibility_template_are_ignored(self, plan, alice):
        """Issue 32 part 3: the eligibility roster's 附件2 columns (获得奖项或称号...) are not read for a plan."""
        header = "姓名,身份证号码,职业代码,申报等级,从事本职业年限,获得奖项或称号,竞赛名次,与本单位关系"
        text = f"{header}\n张三,{person_id(1)},4-03-02-01,4,6,诺贝尔奖,0,本单位职工\n"
        result = imports.import_roster(plan, SimpleUploadedFile("r.csv", text.encode("utf-8")), alice)
        assert result.ok and plan.candidates.get().eligible

    def test_csv_roster(self, plan, alice):
        text = f"姓名,身份证号码,职业代码,申报等级,从事本职业年限,与本单位关系\n张三,{person_id(1)},4-03-02-01,4,6,职工\n"
        result = imports.import_roster(plan, SimpleUploadedFile("r.csv", text.encode("gb18030")), alice)
        assert result.ok and plan.candidates.count() == 1


class TestScores:
    @pytest.fixture
    def approved(self, alice):
        filed_institution(alice.institution)
        plan = PlanFactory(institution=alice.institution, approved=True)
        CandidateFactory(plan=plan, id_number=person_id(1))
        CandidateFactory(plan=plan, id_number=person_id(2), title_bridged=True)
        return plan

    def test_upload_and_pass_marks(self, approved, alice):
        data = scores_xlsx([(person_id(1), 60, 59.9), (person_id(2), None, 60)])
        result = imports.import_scores(approved, xlsx(data), alice)
        assert result.ok, result.errors
        first, bridged = approved.candidates.order_by("row")
        assert first.theory_score == Decimal("60.0")
        assert first.exam_result(approved.methods) is False  # practical 59.9
        assert bridged.exam_result(approved.methods) is True  # exempt from theory

    def test_row_errors(self, approved, alice):
        data = scores_xlsx([(person_id(1), 101, 60), (person_id(2), 70, 60), (person_id(9), 70, 70)])
        result = imports.import_scores(approved, xlsx(data), alice)
        messages = dict(result.errors)
        assert set(messages) == {2, 3, 4}
        assert "0-100" in messages[2] and "免于理论知识考试" in messages[3] and "不在本方案" in messages[4]
        assert approved.candidates.filter(theory_score__isnull=False).count() == 0

    def test_other_methods_pass_fail_with_note(self, alice):
        filed_institution(alice.institution)
        plan = PlanFactory(institution=alice.institution, approved=True, methods=[Method.PERFORMANCE])
        CandidateFactory(plan=plan, id_number=person_id(1))
        bad = imports.import_scores(plan, xlsx(scores_xlsx([(person_id(1), None, None, "合格")])), alice)
        assert "说明" in bad.errors[0][1]
        ok = imports.import_scores(
            plan, xlsx(scores_xlsx([(person_id(1), None, None, "合格", "年度业绩评审")])), alice
        )
        assert ok.ok
        assert plan.candidates.get().exam_result(plan.methods) is True

    def test_only_when_approved(self, alice, plan):
        with pytest.raises(workflow.WorkflowError):
            imports.import_scores(plan, xlsx(scores_xlsx([])), alice)


class TestReview:
    @pytest.fixture
    def technician(self, alice):
        filed_institution(alice.institution)
        plan = PlanFactory(institution=alice.institution, approved=True, levels=[1, 2])
        for _i in range(5):
            qualified_expert()
        qualified_expert(institution=alice.institution)  # never drawn for alice's candidates
        return CandidateFactory(plan=plan, level=1, theory_score=70, practical_score=65, materials=True)

    def test_only_after_both_exams(self, technician, carol):
        technician.practical_score = 59
        technician.save()
        with pytest.raises(workflow.WorkflowError):
            workflow.draw_review(technician, carol)

    def test_draw_excludes_own_institution_and_is_reproducible(self, technician, carol, alice):
        review = workflow.draw_review(technician, carol, on=datetime.date(2026, 6, 10), seed=1234)
        panel = sorted(review.panelists.values_list("expert_id", flat=True))
        own = set(
            UserFactory._meta.model.objects.filter(institution=alice.institution).values_list("pk", flat=True)
        )
        assert len(panel) == 3 and not own & set(panel)
        from certification import rules

        assert rules.draw_panel(review.pool, 3, review.seed) == panel
        assert review.materials_received_on == datetime.date(2026, 6, 8)
        assert review.due == datetime.date(2026, 7, 8)

    def test_panel_needs_three(self, technician, carol):
        with pytest.raises(workflow.WorkflowError):
            workflow.draw_review(technician, carol, size=2)

    def record(self, review, carol, thesis="60", defence="60", performance="60", ticks=(True, True, False)):
        ids = list(review.panelists.values_list("expert_id", flat=True))
        return workflow.record_review(
            review,
            carol,
            thesis=thesis,
            defence=defence,
            questions=["问一", "问二", "问三", "问四"],
            performance=performance,
            ticks=dict(zip(ids, ticks, strict=True)),
        )

    def test_defence_weighting_boundary(self, technician, carol):
        review = workflow.draw_review(technician, carol, on=datetime.date(2026, 6, 10))
        assert self.record(review, carol, thesis="59.9", defence="59.9").passed is False  # 59.9 < 60
        workflow.record_materials(technician, carol, datetime.date(2026, 7, 1), on=datetime.date(2026, 7, 1))
        retry = workflow.draw_review(technician, carol, on=datetime.date(2026, 7, 10))
        assert retry.attempt == 2
        assert self.record(retry, carol, thesis="75", defence="50").passed is True  # 30 + 30 = 60

    def test_questions_four_to_six(self, technician, carol):
        review = workflow.draw_review(technician, carol)
        ids = list(review.panelists.values_list("expert_id", flat=True))
        with pytest.raises(workflow.Refused):
            workflow.record_review(
                review,
                carol,
                thesis="80",
                defence="80",
                questions=["一", "二", "三"],
                performance="80",
                ticks=dict.fromkeys(ids, True),
            )

    def test_majority_and_one_retry_within_a_year(self, technician, carol):
        first = workflow.draw_review(technician, carol, on=datetime.date(2026, 6, 10))
        assert self.record(first, carol, ticks=(True, False, False)).passed is False
        with pytest.raises(workflow.WorkflowError):
            workflow.draw_review(technician, carol, on=datetime.date(2027, 6, 11))  # more than a year
        workflow.record_materials(technician, carol, datetime.date(2027, 6, 1), on=datetime.date(2027, 6, 1))
        second = workflow.draw_review(technician, carol, on=datetime.date(2027, 6, 10))
        assert self.record(second, carol, performance="59.9").passed is False
        with pytest.raises(workflow.WorkflowError) as third:
            workflow.draw_review(technician, carol, on=datetime.date(2027, 6, 12))
        assert "第 3 次" in str(third.value)


class TestResults:
    def test_report_verify_return_and_summary(self, alice, carol):
        filed_institution(alice.institution)
        plan = PlanFactory(institution=alice.institution, approved=True, levels=[3, 4])
        a = CandidateFactory(plan=plan, level=4, theory_score=60, practical_score=60)
        b = CandidateFactory(plan=plan, level=3)
        with pytest.raises(workflow.Refused):
            workflow.report_results(plan, alice, on=datetime.date(2026, 6, 5))
        b.theory_score, b.practical_score = 80, 80
        b.save()
        CandidateFactory(plan=plan, level=4, eligible=False)  # not confirmed: no result needed, never passes
        workflow.report_results(plan, alice, on=datetime.date(2026, 6, 5))
        workflow.verify(plan, carol, {b.pk: "身份证号与照片不符"}, on=datetime.date(2026, 6, 8))
        plan.refresh_from_db()
        b.refresh_from_db()
        assert plan.state == State.IN_PROGRESS and b.verification == Verification.RETURNED
        with pytest.raises(workflow.WorkflowError):
            workflow.verify(plan, carol, {})
        workflow.report_results(plan, alice, on=datetime.date(2026, 6, 9))
        workflow.verify(plan, carol, {}, on=datetime.date(2026, 6, 10))
        plan.refresh_from_db()
        assert plan.state == State.VERIFIED and plan.verified_on == datetime.date(2026, 6, 10)
        table = summary.build(alice.institution, datetime.date(2026, 6, 1))
        assert table.totals() == [0, 1, 1, 0, 0] and table.total == 2
        assert table.rows[0].subtotal == 2
        assert summary.build(alice.institution, datetime.date(2026, 7, 1)).total == 0
        # seed 001 第十六条(四): verified results are not issuable until uploaded and published
        assert issuable.verified_passing(alice.institution) == []
        workflow.mark_uploaded(
            plan,
            carol,
            uploaded_on=datetime.date(2026, 6, 11),
            published_on=datetime.date(2026, 6, 15),
            on=datetime.date(2026, 6, 16),
        )
        assert plan.state == State.UPLOADED
        assert plan.published_on == datetime.date(2026, 6, 15) and plan.publication_recorded_by == carol
        assert a.pk in {int(c.source_key.split(":")[1]) for c in issuable.verified_passing(alice.institution)}

    def test_verify_needs_reasons(self, alice, carol):
        filed_institution(alice.institution)
        plan = PlanFactory(institution=alice.institution, reported=True)
        c = CandidateFactory(plan=plan, passed=True)
        with pytest.raises(workflow.WorkflowError):
            workflow.verify(plan, carol, {c.pk: " "})

    def test_summary_totals_across_institutions(self, alice, bob):
        for user, counts in ((alice, {5: 2, 4: 1}), (bob, {4: 3, 2: 0})):
            filed_institution(user.institution)
            plan = PlanFactory(institution=user.institution, verified=True, levels=[5, 4])
            for level, n in counts.items():
                for _ in range(n):
                    CandidateFactory(plan=plan, level=level, verification=Verification.ACCEPTED, passed=True)
            CandidateFactory(
                plan=plan, level=4, verification=Verification.ACCEPTED, theory_score=59, practical_score=90
            )
        table = summary.build()
        assert table.totals() == [2, 4, 0, 0, 0] and table.total == 6
        assert summary.build(alice.institution).total == 3


class TestRetention:
    def test_plan_deletion_refused_within_five_years(self, alice):
        import time_machine

        filed_institution(alice.institution)
        plan = PlanFactory(institution=alice.institution, verified=True)
        with time_machine.travel(datetime.datetime(2031, 6, 2, 12), tick=False):
            with pytest.raises(ValidationError):
                plan.delete()
        with time_machine.travel(datetime.datetime(2031, 6, 4, 12), tick=False):
            plan.candidates.all().delete()
            plan.delete()

    def test_draft_may_be_deleted(self, plan):
        plan.delete()


def test_results_reported_only_after_the_end(alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True, end_date=datetime.date(2026, 6, 3))
    CandidateFactory(plan=plan, passed=True)
    with pytest.raises(workflow.WorkflowError) as early:
        workflow.report_results(plan, alice, on=datetime.date(2026, 6, 2))
    assert "2026-06-03" in str(early.value)
    workflow.report_results(plan, alice, on=datetime.date(2026, 6, 3))
    assert plan.state == State.RESULTS_REPORTED


def test_approval_refused_once_the_filing_is_revoked(alice, carol):
    from filings.constants import State as FilingState

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, submitted=True)
    from filings.models import Filing

    Filing.objects.filter(institution=alice.institution).update(state=FilingState.REVOKED)
    with pytest.raises(workflow.Refused) as refused:
        workflow.approve(plan, carol)
    assert "没有有效的备案" in refused.value.problems[0]
