"""The title application of seed 002 附件2 二(三) at service level: 申报, 推荐, 审核 and 报送, 评审; 破格
(二(二)3); 初级 appointed by the employer (津人社局发〔2018〕31号); each step refused for the wrong person and
in the wrong state, a refused step changing nothing; the queues with their elapsed working days."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portal import audit, errors
from portal.models import AuditEvent, Notification, OutboxMail
from talent import workflow
from talent.constants import Level, Route, State, Title
from talent.models import Achievement, TitleApplication
from tests.portal.factories import id_number
from tests.talent.factories import TODAY, World, evidence, through

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI), tick=False) as clock:
        yield clock


@pytest.fixture
def world():
    return World.build()


def events(app) -> list[str]:
    return [row.event for row in audit.trail(app).order_by("at", "pk")]


def snapshot(app):
    """Everything a step could write: the application's row, its trail, mails and notices."""
    row = TitleApplication.objects.filter(pk=app.pk).values().get()
    return row, AuditEvent.objects.count(), OutboxMail.objects.count(), Notification.objects.count()


# -- the whole procedure -------------------------------------------------------------------------------


def test_a_technician_of_three_years_becomes_an_engineer(world):
    """附件2 二(二)1: 技师 + 3 years -> 工程师; 二(三) 申报, 推荐, 审核 and 报送, 评审 with the certificate."""
    app = world.application()

    workflow.submit(app, world.person)
    assert app.state == State.SUBMITTED
    assert app.assessed_on == TODAY and app.exceptional_clause == ""
    basic = app.decision[0]
    assert basic["clause"] == "二(二)1" and basic["target"] == Title.ENGINEER and basic["eligible"]
    assert any("满3年" in reason for reason in basic["reasons"])

    workflow.recommend(app, world.recommender, department=world.department)
    assert (app.state, app.department, app.recommended_by) == (
        State.IN_REVIEW,
        world.department,
        world.recommender,
    )

    workflow.approve(app, world.department_user, review_body=world.review_body)
    assert (app.state, app.review_body, app.reviewed_by) == (
        State.SENT,
        world.review_body,
        world.department_user,
    )

    workflow.record_result(
        app,
        world.review_body_user,
        State.PASSED,
        certificate_number="津职称2026-GC-0001",
        certificate_date=datetime.date(2026, 12, 1),
    )
    app.refresh_from_db()
    assert app.state == State.PASSED
    assert (app.title_certificate_number, app.title_certificate_date) == (
        "津职称2026-GC-0001",
        datetime.date(2026, 12, 1),
    )
    assert events(app) == [
        "title_application_submitted",
        "title_application_recommended",
        "title_application_approved",
        "title_review_passed",
    ]
    told = set(OutboxMail.objects.values_list("to", flat=True))
    assert {world.recommender.email, world.department_user.email, world.review_body_user.email} <= told
    assert OutboxMail.objects.filter(to=world.person.email, subject__contains="评审通过").exists()
    assert world.person.notifications.filter(text="评审通过").exists()


def test_the_direct_route_goes_to_zhongtian(world):
    """附件2 二(三)2: 非公经济组织和社会组织人员直接向中天人力申报; 中天人力 reviews and sends it."""
    app = world.application(route=Route.DIRECT, employer_name="天津某民营科技有限公司")
    workflow.submit(app, world.person)
    assert app.state == State.IN_REVIEW
    assert workflow.queue(world.zhongtian)[0].application == app
    with pytest.raises(errors.NotPermitted):
        workflow.approve(app, world.department_user, review_body=world.review_body)
    workflow.approve(app, world.zhongtian, review_body=world.review_body)
    assert app.state == State.SENT
    assert events(app) == ["title_application_filed_direct", "title_application_approved"]


def test_a_national_technical_expert_is_recognised_senior_engineer_without_the_years(world):
    """附件2 二(二)3: 全国技术能手 -> 高级工程师 by 破格, the years of 二(二)1 not asked; the clause is kept."""
    app = world.application(
        level=Level.L2, level_obtained_on=datetime.date(2025, 6, 1), title_sought=Title.SENIOR_ENGINEER
    )
    workflow.set_rows(app, world.person, awards=[("全国技术能手", "人力资源社会保障部", 2025)])

    workflow.submit(app, world.person)
    assert app.exceptional_clause == "附件2 二(二)3"
    award = next(d for d in app.decision if d["clause"] == "二(二)3")
    assert award["eligible"] and award["target"] == Title.SENIOR_ENGINEER
    basic = next(d for d in app.decision if d["clause"] == "二(二)1")
    assert not basic["eligible"]  # the years are not met, and not needed

    through(app, world, "approve")
    workflow.record_result(
        app,
        world.review_body_user,
        State.RECOGNISED,
        certificate_number="津职称2026-GGC-0007",
        certificate_date=datetime.date(2026, 12, 4),
    )
    assert app.state == State.RECOGNISED
    assert app.title_certificate_number == "津职称2026-GGC-0007"
    assert events(app)[-1] == "title_review_recognised"


def test_without_the_award_the_same_person_is_refused_with_the_rules_reasons(world):
    app = world.application(
        level=Level.L2, level_obtained_on=datetime.date(2025, 6, 1), title_sought=Title.SENIOR_ENGINEER
    )
    before = snapshot(app)
    with pytest.raises(errors.Refused) as refused:
        workflow.submit(app, world.person)
    assert "不符合申报高级工程师的条件" in str(refused.value)
    assert snapshot(app) == before


def test_a_technician_short_of_three_years_is_refused(world):
    app = world.application(level_obtained_on=datetime.date(2024, 1, 1))
    with pytest.raises(errors.Refused) as refused:
        workflow.submit(app, world.person)
    assert "未满3年" in str(refused.value) and "2027-01-01" in str(refused.value)
    assert TitleApplication.objects.get(pk=app.pk).state == State.DRAFT


def test_recognition_needs_a_exceptional_application(world):
    app = through(world.application(), world, "approve")
    with pytest.raises(errors.NotPermitted):
        workflow.record_result(
            app,
            world.review_body_user,
            State.RECOGNISED,
            certificate_number="X-1",
            certificate_date=datetime.date(2026, 12, 1),
        )
    assert TitleApplication.objects.get(pk=app.pk).state == State.SENT


def test_the_review_body_records_a_fail_with_its_opinion(world):
    app = through(world.application(), world, "approve")
    with pytest.raises(errors.PortalError):
        workflow.record_result(app, world.review_body_user, State.FAILED, opinion=" ")
    assert TitleApplication.objects.get(pk=app.pk).state == State.SENT
    workflow.record_result(app, world.review_body_user, State.FAILED, opinion="业绩材料不足以证明创造性劳动")
    assert app.state == State.FAILED and app.title_certificate_number == ""


def test_a_pass_needs_the_certificate_number_and_date(world):
    app = through(world.application(), world, "approve")
    before = snapshot(app)
    for number, on in (("", datetime.date(2026, 12, 1)), ("X-1", None), ("X-1", datetime.date(2026, 12, 8))):
        with pytest.raises(errors.PortalError):
            workflow.record_result(
                app, world.review_body_user, State.PASSED, certificate_number=number, certificate_date=on
            )
    assert snapshot(app) == before


# -- return and reject ---------------------------------------------------------------------------------


def test_a_return_keeps_what_was_typed_and_the_person_submits_again(world):
    app = through(world.application(), world, "recommend")
    typed = TitleApplication.objects.filter(pk=app.pk).values(
        "name", "id_number", "employer_name", "post", "level_certificate_number", "specialty"
    )[0]
    workflow.return_for_correction(app, world.department_user, reason="请补充技术改造的证明材料")
    app.refresh_from_db()
    assert app.state == State.RETURNED and app.return_reason == "请补充技术改造的证明材料"
    assert TitleApplication.objects.filter(pk=app.pk).values(*typed)[0] == typed
    assert app.achievements.count() == 1 and app.appraisals.count() == 3
    assert world.person.notifications.filter(text__contains="退回").exists()

    workflow.add_achievement(
        app, world.person, kind="technical_renovation", summary="数控车床改造", upload=evidence()
    )
    workflow.update(app, world.person, post="数控车工班长")
    workflow.submit(app, world.person)
    assert app.state == State.SUBMITTED and app.return_reason == ""
    assert app.post == "数控车工班长" and app.achievements.count() == 2


def test_the_employer_may_return_it_too(world):
    app = through(world.application(), world, "submit")
    with pytest.raises(errors.PortalError):
        workflow.return_by_employer(app, world.recommender, reason="")
    workflow.return_by_employer(app, world.recommender, reason="年度考核材料不全")
    assert app.state == State.RETURNED


def test_a_reject_needs_a_reason(world):
    app = through(world.application(), world, "recommend")
    before = snapshot(app)
    with pytest.raises(errors.PortalError) as refused:
        workflow.reject(app, world.department_user, reason="  ")
    assert "理由" in str(refused.value)
    assert snapshot(app) == before
    workflow.reject(app, world.department_user, reason="不在工程技术领域生产一线岗位")
    app.refresh_from_db()
    assert app.state == State.REJECTED and app.reject_reason == "不在工程技术领域生产一线岗位"
    assert audit.trail(app).get(event="title_application_rejected").comment == "不在工程技术领域生产一线岗位"


def test_a_submitted_application_cannot_be_edited(world):
    app = through(world.application(), world, "submit")
    before = snapshot(app)
    with pytest.raises(errors.NotPermitted):
        workflow.update(app, world.person, post="别的岗位")
    with pytest.raises(errors.NotPermitted):
        workflow.add_achievement(app, world.person, kind="patent", summary="专利", upload=evidence())
    assert snapshot(app) == before


# -- 初级: appointed by the employer -------------------------------------------------------------------


def test_a_junior_title_is_an_employer_appointment_without_review(world):
    """附件2 二(三): 聘任初级职称按照津人社局发〔2018〕31号: 高级工 + 2 years -> 助理工程师, recorded, not reviewed."""
    app = world.application(
        level=Level.L3, level_obtained_on=datetime.date(2024, 3, 1), title_sought=Title.ASSISTANT_ENGINEER
    )
    with pytest.raises(errors.PortalError) as refused:
        workflow.submit(app, world.person)
    assert "津人社局发〔2018〕31号" in str(refused.value)
    with pytest.raises(errors.NotPermitted):
        workflow.appoint(app, world.person, certificate_number="P-1", certificate_date=TODAY)
    workflow.appoint(app, world.recommender, certificate_number="海河聘〔2026〕3号", certificate_date=TODAY)
    assert app.state == State.APPOINTED and app.title_certificate_number == "海河聘〔2026〕3号"
    assert app.decision[0]["eligible"]
    assert events(app) == ["title_appointed"]


def test_a_reviewed_title_cannot_be_appointed(world):
    app = world.application()
    with pytest.raises(errors.PortalError):
        workflow.appoint(app, world.recommender, certificate_number="P-1", certificate_date=TODAY)
    assert TitleApplication.objects.get(pk=app.pk).state == State.DRAFT


# -- refusals: the wrong person, the wrong state ---------------------------------------------------------


def _call(step, app, w, actor):
    if step == "submit":
        return workflow.submit(app, actor)
    if step == "recommend":
        return workflow.recommend(app, actor, department=w.department)
    if step == "return_by_employer":
        return workflow.return_by_employer(app, actor, reason="理由")
    if step == "approve":
        return workflow.approve(app, actor, review_body=w.review_body)
    if step == "return_for_correction":
        return workflow.return_for_correction(app, actor, reason="理由")
    if step == "reject":
        return workflow.reject(app, actor, reason="理由")
    if step == "record_pass":
        return workflow.record_result(
            app, actor, State.PASSED, certificate_number="X-1", certificate_date=datetime.date(2026, 12, 1)
        )
    if step == "record_fail":
        return workflow.record_result(app, actor, State.FAILED, opinion="意见")
    raise ValueError(step)


# step -> (the step before it, who may take it, who may not)
WHO = {
    "submit": (None, "person", ["other_person", "other_recommender", "department_user", "zhongtian"]),
    "recommend": ("submit", "recommender", ["person", "other_recommender", "department_user"]),
    "return_by_employer": ("submit", "recommender", ["person", "other_recommender", "zhongtian"]),
    "approve": (
        "recommend",
        "department_user",
        ["person", "recommender", "other_department_user", "zhongtian"],
    ),
    "return_for_correction": (
        "recommend",
        "department_user",
        ["person", "other_department_user", "zhongtian"],
    ),
    "reject": ("recommend", "department_user", ["recommender", "other_department_user", "review_body_user"]),
    "record_pass": ("approve", "review_body_user", ["person", "department_user", "other_review_body_user"]),
    "record_fail": ("approve", "review_body_user", ["recommender", "zhongtian", "other_review_body_user"]),
}


@pytest.mark.parametrize("step", WHO)
def test_each_step_is_refused_for_the_wrong_person_and_changes_nothing(world, step):
    before_step, right, wrong = WHO[step]
    app = world.application()
    if before_step:
        app = through(app, world, before_step)
    for name in wrong:
        before = snapshot(app)
        with pytest.raises(errors.NotPermitted) as refused:
            _call(step, app, world, getattr(world, name))
        assert str(refused.value) == errors.permission_message(), (step, name)
        assert snapshot(app) == before, (step, name)
    _call(step, app, world, getattr(world, right))  # the right person may


# step -> states it is refused in (reached through the service)
WRONG_STATE = {
    "submit": ["submit", "approve"],
    "recommend": [None, "recommend", "record_pass"],
    "approve": [None, "submit", "approve"],
    "reject": ["submit", "approve"],
    "record_pass": ["recommend", "record_pass"],
}


@pytest.mark.parametrize("step", WRONG_STATE)
def test_each_step_is_refused_in_the_wrong_state_and_changes_nothing(world, step):
    _before, right, _wrong = WHO[step]
    for reached in WRONG_STATE[step]:
        app = world.application()
        if reached:
            app = through(app, world, reached)
        before = snapshot(app)
        with pytest.raises(errors.NotPermitted) as refused:
            _call(step, app, world, getattr(world, right))
        assert "职称申请当前状态为" in str(refused.value), (step, reached)
        assert snapshot(app) == before, (step, reached)


# -- the 申请表 and its evidence -------------------------------------------------------------------------


def test_the_id_number_is_checked(world):
    fields = dict(
        name="王强",
        id_number="120101198503150011",
        employer=world.employer,
        employer_name=world.employer.name,
        post="钳工",
        on_current_post_since=datetime.date(2020, 1, 1),
        occupation="钳工",
        level=2,
        level_certificate_number="C-1",
        level_obtained_on=datetime.date(2022, 1, 1),
        skill_work_years=10,
        title_sought=Title.ENGINEER,
        specialty="机械",
    )
    with pytest.raises(errors.PortalError) as refused:
        workflow.create(world.recommender, **fields)
    assert "身份证" in str(refused.value)
    assert not TitleApplication.objects.exists()
    fields["id_number"] = id_number(1, "19850315", male=True)
    app = workflow.create(world.recommender, **fields)
    assert app.state == State.DRAFT and events(app) == ["title_application_created"]


def test_evidence_is_checked_by_content_not_by_name(world):
    app = world.application(achievements=0)
    with pytest.raises(errors.PortalError) as refused:
        workflow.add_achievement(
            app, world.person, kind="patent", summary="专利", upload=evidence("专利.pdf", b"not a pdf at all")
        )
    assert "文件内容" in str(refused.value)
    assert not Achievement.objects.exists()
    with pytest.raises(errors.Refused) as refused:
        workflow.submit(app, world.person)
    assert "工作业绩" in str(refused.value)
    row = workflow.add_achievement(
        app, world.person, kind="patent", summary="一种车刀夹具", upload=evidence("专利证书.txt")
    )
    assert row.evidence.name.startswith("talent/evidence/") and row.evidence.name.endswith(".pdf")
    assert "一种车刀夹具" not in row.evidence.name


def test_nobody_sees_another_persons_application(world):
    app = world.application()
    assert workflow.can_view(app, world.person) and workflow.can_view(app, world.recommender)
    for name in ("other_person", "other_recommender", "department_user", "zhongtian", "review_body_user"):
        assert not workflow.can_view(app, getattr(world, name)), name
        assert app not in workflow.visible_to(getattr(world, name)), name
    through(app, world, "approve")
    for name in ("department_user", "review_body_user"):
        assert workflow.can_view(app, getattr(world, name)) and app in workflow.visible_to(
            getattr(world, name)
        )
    for name in ("other_department_user", "other_review_body_user", "zhongtian", "other_person"):
        assert not workflow.can_view(app, getattr(world, name)), name
        assert app not in workflow.visible_to(getattr(world, name)), name


# -- queues --------------------------------------------------------------------------------------------


def test_queues_show_the_working_days_waited_without_a_deadline(world, _today):
    app = through(world.application(), world, "submit")  # Monday 2026-12-07
    assert [row.application for row in workflow.queue(world.other_recommender)] == []
    _today.move_to(datetime.datetime(2026, 12, 11, 10, 0, tzinfo=SHANGHAI))  # Friday
    (row,) = workflow.queue(world.recommender)
    assert row.application == app
    assert (row.elapsed.since, row.elapsed.days) == (TODAY, 4)
    assert "文件未规定本环节的办理时限" in row.elapsed.title

    workflow.recommend(app, world.recommender, department=world.department)
    assert workflow.queue(world.recommender) == []
    (row,) = workflow.queue(world.department_user)
    assert row.elapsed.days == 0 and row.elapsed.since == datetime.date(2026, 12, 11)
    assert workflow.queue(world.other_department_user) == []


def test_what_each_person_may_do_now(world):
    app = through(world.application(), world, "submit")
    assert set(workflow.available(app, world.recommender)) == {"recommend", "return_by_employer"}
    assert workflow.available(app, world.person) == []


def test_a_stranger_hears_no_rule_reasons(world):
    junior = world.application(level=Level.L3, title_sought=Title.ASSISTANT_ENGINEER)
    for call in (
        lambda: workflow.submit(junior, world.other_person),
        lambda: workflow.appoint(
            world.application(), world.other_recommender, certificate_number="P", certificate_date=TODAY
        ),
    ):
        with pytest.raises(errors.NotPermitted) as refused:
            call()
        assert str(refused.value) == errors.permission_message()


def test_a_level_below_senior_worker_is_refused_on_the_form(world):
    with pytest.raises(errors.PortalError) as refused:
        workflow.update(world.application(), world.person, level=4)
    assert "高级工以上" in str(refused.value)
