"""The professional's skill application of seed 002 附件2 三, 四(二) at service level: the rules' decision
(三(二)1/2/3) stored with its theory waiver on submission, refused with the rules' reasons; returned for
correction keeping what was typed; accepted at a filed 评价机构 onto one of its plans as a roster row
whose pass needs no theory score (certification's ``title_bridged``), or at the 市鉴定中心 for 考务安排;
strangers see and do nothing; a refused step changes no table."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from certification import workflow as cert_workflow
from certification.constants import State as PlanState
from certification.models import AssessmentPlan, Candidate
from portal import audit, errors
from portal.models import AuditEvent, Notification, OutboxMail
from talent import skills
from talent.constants import CompetitionClass, HeldTitle, SkillRoute, SkillState
from talent.models import SkillApplication
from tests.portal.factories import UserFactory
from tests.talent.factories import TODAY, SkillWorld, evidence

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI), tick=False) as clock:
        yield clock


@pytest.fixture
def world():
    return SkillWorld.build()


def events(app) -> list[str]:
    return [row.event for row in audit.trail(app).order_by("at", "pk")]


def snapshot(app):
    """Everything a step could write: the application's row, the rosters, the trail, mails and notices."""
    row = SkillApplication.objects.filter(pk=app.pk).values().get()
    return (
        row,
        Candidate.objects.count(),
        AuditEvent.objects.count(),
        OutboxMail.objects.count(),
        Notification.objects.count(),
    )


def test_an_engineer_applies_for_technician_and_the_theory_waiver_is_stored(world):
    """附件2 三(二)1: 工程师 -> 技师; 免于理论知识考核."""
    app = world.application()

    skills.submit(app, world.person)

    app.refresh_from_db()
    assert app.state == SkillState.SUBMITTED and app.assessed_on == TODAY
    assert app.clause == "三(二)1" and app.theory_waived is True
    stored = [d for d in app.decision if d["target"] == 2 and d["eligible"]]
    assert stored and stored[0]["theory_waived"] and stored[0]["reasons"]
    assert events(app)[-1] == "skill_application_submitted"
    # In the institution's queue, with the working days waited; the body's user is told.
    assert [row.application for row in skills.queue(world.body_user)] == [app]
    assert skills.queue(world.other_body_user) == [] and skills.queue(world.centre) == []
    assert OutboxMail.objects.filter(to="body@example.org").exists()


def test_an_assistant_engineer_applies_for_senior_worker_at_the_centre(world):
    """附件2 三(二)1 and 三(四)1: 助理工程师 -> 高级工 by 职业技能鉴定; the centre accepts it for 考务安排."""
    app = world.application(title=HeldTitle.ASSISTANT_ENGINEER, level=3, route=SkillRoute.APPRAISAL)

    skills.submit(app, world.person)
    assert (app.state, app.clause, app.theory_waived) == (SkillState.SUBMITTED, "三(二)1", True)
    assert [row.application for row in skills.queue(world.centre)] == [app]
    assert skills.queue(world.body_user) == []

    skills.accept(app, world.centre, comment="纳入下期考务安排")
    app.refresh_from_db()
    assert (app.state, app.decided_by, app.candidate) == (SkillState.ACCEPTED, world.centre, None)
    assert events(app)[-1] == "skill_application_accepted"
    assert OutboxMail.objects.filter(to="zhang@example.org").exists()


def test_refused_when_not_eligible_with_the_rules_reasons(world):
    """助理工程师 asking for 技师: 三(二)1 opens only 高级工; the rules' reasons are shown, nothing changes."""
    app = world.application(title=HeldTitle.ASSISTANT_ENGINEER, level=2)
    before = snapshot(app)

    with pytest.raises(errors.Refused) as refused:
        skills.submit(app, world.person)

    assert "不符合申报技师（二级）的条件" in str(refused.value)
    assert "助理工程师" in str(refused.value)
    assert snapshot(app) == before and app.state == SkillState.DRAFT


def test_outside_the_engineering_field_is_refused(world):
    """三(一) 申报范围: 工程技术领域工作的专业技术人才."""
    app = world.application(engineering_field=False)
    with pytest.raises(errors.Refused) as refused:
        skills.submit(app, world.person)
    assert "三(一)" in str(refused.value)


def test_an_engineer_placed_in_a_competition_may_apply_for_senior_technician(world):
    """三(二)3 破格: 工程师, 市级一类 top 6 -> 高级技师 (the body's scope covers level 1)."""
    app = world.application(level=1)
    skills.set_competitions(
        app, world.person, [("天津市数控技能大赛", CompetitionClass.CITY_CLASS_1, 4, 2025)]
    )
    skills.submit(app, world.person)
    assert (app.clause, app.theory_waived) == ("三(二)3", True)


def test_the_title_copy_is_required_and_checked_by_content(world):
    """附件2 四(二)3 专业技术职务任职资格证复印件."""
    app = world.application(copy=False)
    with pytest.raises(errors.Refused) as refused:
        skills.submit(app, world.person)
    assert "专业技术职务任职资格证复印件" in str(refused.value)

    fake = SimpleUploadedFile("证书.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(errors.PortalError):
        skills.attach_title_copy(app, world.person, fake)
    skills.attach_title_copy(app, world.person, evidence("证书.pdf"))
    app.refresh_from_db()
    assert app.title_certificate_copy.name.startswith("talent/titles/")
    skills.submit(app, world.person)
    assert app.state == SkillState.SUBMITTED


def test_an_institution_outside_the_filed_scope_is_refused(world):
    app = world.application()
    world.body.filings.update(valid_until=datetime.date(2026, 1, 1))  # no filing in force any more
    with pytest.raises(errors.Refused) as refused:
        skills.submit(app, world.person)
    assert "备案范围" in str(refused.value)


def test_returned_keeps_what_was_typed_and_may_be_submitted_again(world):
    app = world.application(post="工艺工程师")
    skills.submit(app, world.person)

    skills.return_for_correction(app, world.body_user, reason="职称证书复印件不清晰。")
    app.refresh_from_db()
    assert (app.state, app.return_reason) == (SkillState.RETURNED, "职称证书复印件不清晰。")
    assert (app.post, app.title, app.level, app.institution) == (
        "工艺工程师",
        HeldTitle.ENGINEER,
        2,
        world.body,
    )

    skills.update(app, world.person, title_certificate_number="津工程2020-00999")
    skills.submit(app, world.person)
    app.refresh_from_db()
    assert (app.state, app.return_reason, app.title_certificate_number) == (
        SkillState.SUBMITTED,
        "",
        "津工程2020-00999",
    )


def test_rejected_with_a_reason(world):
    app = world.application()
    skills.submit(app, world.person)
    with pytest.raises(errors.PortalError):
        skills.reject(app, world.body_user, reason=" ")
    skills.reject(app, world.body_user, reason="现岗位与申报职业不对应。")
    app.refresh_from_db()
    assert (app.state, app.reject_reason) == (SkillState.REJECTED, "现岗位与申报职业不对应。")


def test_accepted_at_an_institution_joins_its_plan_with_the_theory_waived(world):
    """三(四)2: the institution puts the person on its own plan; the row's pass needs no theory score."""
    app = world.application(title=HeldTitle.ASSISTANT_ENGINEER, level=3)
    skills.submit(app, world.person)
    assert skills.open_plans(app) == [world.plan]
    assert world.body in skills.filed_bodies(app.occupation, 3)

    skills.accept(app, world.body_user, plan=world.plan)

    app.refresh_from_db()
    candidate = app.candidate
    assert app.state == SkillState.ACCEPTED
    assert (candidate.plan, candidate.name, candidate.id_number, candidate.level) == (
        world.plan,
        app.name,
        app.id_number,
        3,
    )
    assert candidate.title_bridged is True and candidate.eligible and candidate.clause == "附件2 三(二)1"
    candidate.practical_score = 75
    candidate.save()
    assert candidate.theory_score is None
    assert cert_workflow.candidate_passed(candidate, world.plan.methods) is True


def test_accept_at_an_institution_needs_one_of_its_open_plans(world):
    app = world.application()
    skills.submit(app, world.person)
    before = snapshot(app)
    with pytest.raises(errors.PortalError):
        skills.accept(app, world.body_user)
    submitted = AssessmentPlan.objects.filter(pk=world.plan.pk)
    submitted.update(state=PlanState.SUBMITTED)
    with pytest.raises(errors.PortalError):
        skills.accept(app, world.body_user, plan=world.plan)
    submitted.update(state=PlanState.DRAFT)
    other_plan = type(world.plan).objects.create(
        institution=world.other_body_user.institution,
        title="他机构方案",
        occupation=world.plan.occupation,
        levels=[2],
        methods=world.plan.methods,
        site="别处",
        start_date=world.plan.start_date,
        end_date=world.plan.end_date,
        created_by=world.other_body_user,
    )
    with pytest.raises(errors.NotPermitted):
        skills.accept(app, world.body_user, plan=other_plan)
    assert snapshot(app) == before and app.state == SkillState.SUBMITTED


def test_a_stranger_can_neither_see_nor_act(world):
    app = world.application()
    assert skills.can_view(app, world.person)
    assert not skills.can_view(app, world.body_user)  # a draft is the person's alone
    skills.submit(app, world.person)
    assert skills.can_view(app, world.body_user)
    strangers = (world.other_person, world.other_body_user, world.centre)
    for stranger in strangers:
        assert not skills.can_view(app, stranger)
        assert app not in skills.visible_to(stranger)
        assert skills.available(app, stranger) == []
    assert list(skills.visible_to(world.body_user)) == [app]
    before = snapshot(app)
    for stranger in strangers:
        for act in (
            lambda u: skills.accept(app, u, plan=world.plan),
            lambda u: skills.return_for_correction(app, u, reason="x"),
            lambda u: skills.reject(app, u, reason="x"),
        ):
            with pytest.raises(errors.NotPermitted):
                act(stranger)
        with pytest.raises(errors.NotPermitted):
            skills.update(app, stranger, post="篡改")
    # The person cannot accept their own application either, nor edit it once submitted.
    with pytest.raises(errors.NotPermitted):
        skills.accept(app, world.person, plan=world.plan)
    with pytest.raises(errors.NotPermitted):
        skills.update(app, world.person, post="改")
    assert snapshot(app) == before


def test_a_step_in_the_wrong_state_changes_nothing(world):
    app = world.application()
    before = snapshot(app)
    with pytest.raises(errors.NotPermitted):
        skills.accept(app, world.body_user, plan=world.plan)
    assert snapshot(app) == before
    skills.submit(app, world.person)
    skills.accept(app, world.body_user, plan=world.plan)
    before = snapshot(app)
    with pytest.raises(errors.NotPermitted):
        skills.reject(app, world.body_user, reason="迟了")
    with pytest.raises(errors.NotPermitted):
        skills.submit(app, world.person)
    assert snapshot(app) == before


def test_a_body_user_cannot_accept_their_own_application(world):
    """The institution's own user applying there is the filer, not the body, for that application."""
    app = world.application(filed_by=world.body_user)
    skills.submit(app, world.body_user)
    assert skills.can_view(app, world.body_user)
    assert skills.available(app, world.body_user) == []
    with pytest.raises(errors.NotPermitted):
        skills.accept(app, world.body_user, plan=world.plan)
    assert skills.queue(world.body_user) == []  # it waits for their colleagues
    colleague = UserFactory(institution=world.body)
    assert [row.application for row in skills.queue(colleague)] == [app]
    skills.accept(app, colleague, plan=world.plan)


def test_a_roster_re_upload_keeps_the_accepted_professional(world):
    """The institution's clerk uploads the plan's roster again: the row its skill application points at stays
    (certification keeps title-bridged rows), theory still waived."""
    from certification import imports
    from tests.certification.factories import person_id, roster_xlsx

    app = world.application()
    skills.submit(app, world.person)
    skills.accept(app, world.body_user, plan=world.plan)
    upload = SimpleUploadedFile("r.xlsx", roster_xlsx([("李四", person_id(3001), 3, 12)]))

    result = imports.import_roster(world.plan, upload, world.body_user)

    assert result.ok, result.errors
    app.refresh_from_db()
    assert app.candidate is not None and app.candidate.title_bridged and app.candidate.plan == world.plan
    assert sorted(world.plan.candidates.values_list("name", flat=True)) == sorted(["李四", app.name])
