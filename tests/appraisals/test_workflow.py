"""The enterprise 职业技能鉴定 of seed 002 附件1 at service level: 四(一) 申报备案 (return keeping what was
typed, reject, file with a record number), 四(二) 考试命题 with the 调整试题 answer, 四(三) 考务安排 with the
supervisors picked or drawn (never the enterprise's own employee); each step refused for the wrong person
and in the wrong state, a refused step changing nothing; who may see an application; the queues."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from appraisals import workflow
from appraisals.constants import Category, QuestionSource, State
from appraisals.models import Appraisal, AppraisalLevel, DispatchedSupervisor, ProposedAssessor
from portal import audit, draws, errors
from portal.models import AuditEvent, Notification, OutboxMail
from tests.appraisals.factories import World, credit_code, through
from tests.portal.factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI), tick=False) as clock:
        yield clock


@pytest.fixture
def world():
    return World.build()


def events(appraisal) -> list[str]:
    return [row.event for row in audit.trail(appraisal).order_by("at", "pk")]


def snapshot(appraisal):
    """Everything a step could write: the row, its levels, assessors and supervisors, the trail, mails,
    notices."""
    return (
        Appraisal.objects.filter(pk=appraisal.pk).values().get(),
        list(AppraisalLevel.objects.filter(appraisal=appraisal).values_list("level", "candidates")),
        ProposedAssessor.objects.count(),
        DispatchedSupervisor.objects.count(),
        AuditEvent.objects.count(),
        OutboxMail.objects.count(),
        Notification.objects.count(),
    )


# -- the whole procedure -------------------------------------------------------------------------------


def test_an_enterprise_goes_from_application_to_arrangements(world):
    """附件1 四(一) 申报备案 -> 四(二) 考试命题 -> 四(三) 考务安排."""
    appraisal = world.appraisal()
    assert appraisal.state == State.DRAFT and appraisal.candidate_count == 16
    assert appraisal.enterprise_name == "天津市海河装备制造有限公司"

    workflow.submit(appraisal, world.enterprise_user)
    assert appraisal.state == State.SUBMITTED and appraisal.submitted_at
    workflow.file(appraisal, world.centre)
    assert appraisal.state == State.FILED and appraisal.record_number == "JD20260001"
    workflow.answer_adjustment(appraisal, world.centre, granted=True)
    assert appraisal.adjustment_granted is True
    workflow.record_questions(appraisal, world.centre, source=QuestionSource.EXPERTS, note="按企业产品修订")
    assert appraisal.state == State.QUESTIONS_RECORDED and appraisal.question_source == "experts"
    workflow.dispatch_supervisors(appraisal, world.bureau, draw=2)
    assert appraisal.state == State.ARRANGED and appraisal.draw_seed
    assert events(appraisal) == [
        "appraisal_created",
        "appraisal_submitted",
        "appraisal_filed",
        "appraisal_adjustment_answered",
        "appraisal_questions_recorded",
        "appraisal_supervisors_dispatched",
    ]
    # the enterprise is told at each step, the supervisors by mail
    to = set(OutboxMail.objects.values_list("to", flat=True))
    assert world.enterprise_user.email in to
    dispatched = list(appraisal.supervisors.values_list("supervisor__email", flat=True))
    assert len(dispatched) == 2 and set(dispatched) <= to


def test_record_numbers_count_up_within_a_year(world):
    """The 入网备案 number: JD + year + 4-digit sequence (README)."""
    first = through(world.appraisal(), world, "file")
    second = through(world.appraisal(), world, "file")
    assert (first.record_number, second.record_number) == ("JD20260001", "JD20260002")
    assert workflow.record_number(2027, 12) == "JD20270012"


# -- 四(一): return, reject -------------------------------------------------------------------------


def test_a_return_keeps_what_was_typed_and_the_enterprise_submits_again(world):
    appraisal = through(world.appraisal(), world, "submit")
    with pytest.raises(errors.PortalError):
        workflow.return_for_correction(appraisal, world.centre, reason=" ")
    workflow.return_for_correction(appraisal, world.centre, reason="设施设备清单不全")
    assert appraisal.state == State.RETURNED and appraisal.return_reason == "设施设备清单不全"
    assert appraisal.place == "天津市滨海新区海河装备实训车间" and appraisal.candidate_count == 16
    assert [row.appraisal for row in workflow.queue(world.enterprise_user)] == [appraisal]
    workflow.update(appraisal, world.enterprise_user, equipment="数控车床 CK6140 二十台；量具二十套")
    workflow.submit(appraisal, world.enterprise_user)
    assert appraisal.state == State.SUBMITTED and appraisal.return_reason == ""


def test_a_rejection_needs_its_reason(world):
    appraisal = through(world.appraisal(), world, "submit")
    with pytest.raises(errors.PortalError):
        workflow.reject(appraisal, world.centre, reason="")
    workflow.reject(appraisal, world.centre, reason="不具备实施鉴定的设施设备")
    assert appraisal.state == State.REJECTED and appraisal.reject_reason == "不具备实施鉴定的设施设备"


# -- the rules at submission -------------------------------------------------------------------------


def test_15_candidates_of_one_occupation_are_refused_16_pass(world):
    """附件1 三: 单次申报单一职业（工种）超过15人, counted over the levels of the application."""
    appraisal = world.appraisal(levels={4: 10, 3: 5})
    before = snapshot(appraisal)
    with pytest.raises(errors.Refused) as refused:
        workflow.submit(appraisal, world.enterprise_user)
    assert "超过 15 人" in str(refused.value) and "附件1 三" in str(refused.value)
    assert snapshot(appraisal) == before
    workflow.update(appraisal, world.enterprise_user, levels={4: 10, 3: 6})
    workflow.submit(appraisal, world.enterprise_user)
    assert appraisal.state == State.SUBMITTED


def test_an_enterprise_outside_tianjin_cannot_apply(world):
    """附件1 一: 我市行政区域注册的企业."""
    beijing = InstitutionFactory(credit_code=credit_code("110105", 7))
    user = UserFactory(institution=beijing)
    count = Appraisal.objects.count()
    with pytest.raises(errors.PortalError) as refused:
        world.appraisal(user=user)
    assert "不属于本市" in str(refused.value) and "附件1 一" in str(refused.value)
    assert Appraisal.objects.count() == count


def test_an_occupation_outside_the_list_is_refused(world):
    """附件1 二: only the occupations marked in the directory."""
    with pytest.raises(errors.PortalError) as refused:
        world.appraisal(occupation=world.unlisted)
    assert "“中式烹调师”不在《国家职业资格目录》" in str(refused.value) and "附件1 二" in str(refused.value)
    assert not Appraisal.objects.exists()


def test_a_3_2_enterprise_may_not_ask_to_adjust_the_questions(world):
    """附件1 三(二): 其他企业 may appraise on site but not ask for 调整试题; 三(一) may (above)."""
    with pytest.raises(errors.PortalError) as refused:
        world.appraisal(category=Category.OTHER, evidence_file=False)
    assert "附件1 三(二)" in str(refused.value)
    appraisal = world.appraisal(category=Category.OTHER, evidence_file=False, adjustment_requested=False)
    workflow.submit(appraisal, world.enterprise_user)
    assert appraisal.state == State.SUBMITTED and appraisal.adjustment_reason == ""


def test_a_3_1_enterprise_without_evidence_is_refused(world):
    """附件1 三(一): the enterprise states which kind it is, with evidence."""
    appraisal = world.appraisal(evidence_file=False)
    with pytest.raises(errors.Refused) as refused:
        workflow.submit(appraisal, world.enterprise_user)
    assert "请上传证明材料" in str(refused.value)


def test_evidence_is_checked_by_content(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("认定文件.pdf", b"not a pdf at all", content_type="application/pdf")
    appraisal = world.appraisal(evidence_file=False)
    before = snapshot(appraisal)
    with pytest.raises(errors.PortalError):
        workflow.update(appraisal, world.enterprise_user, evidence=fake)
    assert snapshot(appraisal) == before and not appraisal.category_evidence


# -- 四(二): questions and the 调整试题 answer ----------------------------------------------------------


def test_questions_wait_for_the_adjustment_answer_and_a_refusal_needs_its_reason(world):
    appraisal = through(world.appraisal(), world, "file")
    with pytest.raises(errors.PortalError):
        workflow.record_questions(appraisal, world.centre, source=QuestionSource.NATIONAL_BANK)
    with pytest.raises(errors.PortalError):
        workflow.answer_adjustment(appraisal, world.centre, granted=False, reason="")
    workflow.answer_adjustment(appraisal, world.centre, granted=False, reason="国家题库已覆盖企业产品")
    assert appraisal.adjustment_granted is False and appraisal.adjustment_answer == "国家题库已覆盖企业产品"
    workflow.record_questions(appraisal, world.centre, source=QuestionSource.NATIONAL_BANK)
    assert appraisal.state == State.QUESTIONS_RECORDED


def test_only_the_centre_answers_and_only_when_filed(world):
    appraisal = through(world.appraisal(), world, "submit")
    with pytest.raises(errors.NotPermitted):
        workflow.answer_adjustment(appraisal, world.centre, granted=True)
    workflow.file(appraisal, world.centre)
    for who in (world.bureau, world.enterprise_user, world.other_user):
        with pytest.raises(errors.NotPermitted):
            workflow.answer_adjustment(appraisal, who, granted=True)


# -- 四(三): the supervisors ------------------------------------------------------------------------


def test_the_draw_never_picks_the_enterprise_s_own_employee(world):
    """附件1 四(三): 质量督导员由市人社局派遣 — from the pool, never the enterprise's employee; replayable."""
    pool = [s.pk for s in world.pool]
    for _ in range(8):
        appraisal = through(world.appraisal(), world, "dispatch")
        chosen = list(appraisal.supervisors.order_by("pk").values_list("supervisor_id", flat=True))
        assert world.own_employee.pk not in chosen
        assert chosen == draws.draw(pool, 2, appraisal.draw_seed)


def test_a_draw_larger_than_the_pool_without_the_employee_is_refused(world):
    appraisal = through(world.appraisal(), world, "record_questions")
    before = snapshot(appraisal)
    with pytest.raises(errors.PortalError) as refused:
        workflow.dispatch_supervisors(appraisal, world.bureau, draw=5)  # 4 in the pool besides the employee
    assert "不含本企业人员" in str(refused.value)
    assert snapshot(appraisal) == before


def test_the_bureau_picks_but_not_the_enterprise_s_employee(world):
    appraisal = through(world.appraisal(), world, "record_questions")
    before = snapshot(appraisal)
    with pytest.raises(errors.PortalError):
        workflow.dispatch_supervisors(appraisal, world.bureau, pick=[world.own_employee, world.pool[0]])
    assert snapshot(appraisal) == before
    workflow.dispatch_supervisors(appraisal, world.bureau, pick=[world.pool[1]])
    assert appraisal.state == State.ARRANGED and appraisal.draw_seed == ""
    assert list(appraisal.supervisors.values_list("supervisor", "drawn")) == [(world.pool[1].pk, False)]


# -- refusals change nothing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "step",
    ["submit", "file", "return", "reject", "questions", "dispatch"],
)
def test_a_wrong_person_is_refused_and_nothing_changes(world, step):
    appraisal = world.appraisal()
    state_for = {"submit": "draft", "dispatch": "record_questions", "questions": "file"}
    last = state_for.get(step, "submit")
    if last != "draft":
        appraisal = through(appraisal, world, last)
        if step == "questions":
            workflow.answer_adjustment(appraisal, world.centre, granted=True)
    calls = {
        "submit": lambda who: workflow.submit(appraisal, who),
        "file": lambda who: workflow.file(appraisal, who),
        "return": lambda who: workflow.return_for_correction(appraisal, who, reason="x"),
        "reject": lambda who: workflow.reject(appraisal, who, reason="x"),
        "questions": lambda who: workflow.record_questions(appraisal, who, source=QuestionSource.EXPERTS),
        "dispatch": lambda who: workflow.dispatch_supervisors(appraisal, who, draw=2),
    }
    right = {"submit": world.enterprise_user, "dispatch": world.bureau}.get(step, world.centre)
    before = snapshot(appraisal)
    for who in (world.other_user, world.expert, world.centre, world.bureau, world.enterprise_user):
        if who == right:
            continue
        with pytest.raises(errors.NotPermitted):
            calls[step](who)
        assert snapshot(appraisal) == before


def test_a_step_in_the_wrong_state_is_refused_in_the_model_s_words(world):
    appraisal = world.appraisal()
    before = snapshot(appraisal)
    with pytest.raises(errors.NotPermitted) as refused:
        workflow.file(appraisal, world.centre)
    assert "当前状态为“草稿”" in str(refused.value)
    with pytest.raises(errors.NotPermitted):
        workflow.dispatch_supervisors(appraisal, world.bureau, draw=2)
    assert snapshot(appraisal) == before


def test_a_filed_application_is_not_edited(world):
    appraisal = through(world.appraisal(), world, "file")
    before = snapshot(appraisal)
    with pytest.raises(errors.NotPermitted):
        workflow.update(appraisal, world.enterprise_user, place="别处")
    with pytest.raises(errors.NotPermitted):
        workflow.update(appraisal, world.other_user, place="别处")
    assert snapshot(appraisal) == before


def test_a_user_without_an_enterprise_cannot_create(world):
    for who in (world.centre, world.expert, UserFactory()):
        with pytest.raises(errors.NotPermitted):
            world.appraisal(user=who)
    assert not Appraisal.objects.exists()


# -- who sees it; queues -----------------------------------------------------------------------------


def test_a_stranger_cannot_see_it(world):
    appraisal = world.appraisal()
    assert workflow.can_view(appraisal, world.enterprise_user)
    for who in (world.other_user, world.expert, world.centre, world.bureau):  # a draft is the enterprise's
        assert not workflow.can_view(appraisal, who)
    workflow.submit(appraisal, world.enterprise_user)
    assert workflow.can_view(appraisal, world.centre) and workflow.can_view(appraisal, world.bureau)
    assert not workflow.can_view(appraisal, world.other_user) and not workflow.can_view(
        appraisal, world.expert
    )
    assert list(workflow.visible_to(world.other_user)) == []
    assert list(workflow.visible_to(world.expert)) == []
    assert list(workflow.visible_to(world.centre)) == [appraisal]
    assert list(workflow.visible_to(world.enterprise_user)) == [appraisal]


def test_queues_show_what_waits_for_each(world):
    submitted = through(world.appraisal(), world, "submit")
    questioned = through(world.appraisal(), world, "record_questions")
    assert [r.appraisal for r in workflow.queue(world.centre)] == [submitted]
    assert [r.appraisal for r in workflow.queue(world.bureau)] == [questioned]
    assert workflow.queue(world.other_user) == [] and workflow.queue(world.expert) == []
    assert set(workflow.available(submitted, world.centre)) == {"return_for_correction", "reject", "file"}
