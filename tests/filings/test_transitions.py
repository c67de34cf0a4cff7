"""Every allowed and every forbidden transition, per role (seed 001 第十条 workflow).

The matrix: for each workflow action and each state, only the listed role succeeds; everyone else
(and every other state) is refused with a clear message and nothing changes."""

import datetime

import pytest
from django.utils import timezone

from filings import workflow
from filings.constants import State
from filings.models import ExpertDraw, ExpertReview, Filing
from portal import audit
from tests.portal.factories import UserFactory

from .factories import in_state

pytestmark = pytest.mark.django_db

PEOPLE = ["owner", "bob", "carol", "dave", "erin"]


def _scored(filing, n=3):
    draw = ExpertDraw.objects.create(filing=filing, seed="s", pool=[], drawn=[])
    for _ in range(n):
        expert = UserFactory(role="expert")
        ExpertReview.objects.create(
            filing=filing,
            expert=expert,
            draw=draw,
            material_score=80,
            onsite_score=85,
            qa_score=90,
            opinion="符合条件",
            recommend=True,
            submitted_at=timezone.now(),
        )


def _call(action, filing, user):
    past = datetime.date(2020, 1, 1)
    match action:
        case "submit":
            return workflow.submit(filing, user)
        case "return":
            return workflow.return_for_correction(filing, user, "请补充营业执照")
        case "reject":
            return workflow.reject(filing, user, "不符合条件")
        case "start_evaluation":
            return workflow.start_evaluation(filing, user)
        case "conclude":
            _scored(filing)
            return workflow.conclude(filing, user, recommend=True, comment="建议备案")
        case "approve":
            return workflow.approve(filing, user)
        case "open_publicity":
            return workflow.open_publicity(filing, user)
        case "close_publicity":
            Filing.objects.filter(pk=filing.pk).update(publicity_start=past, publicity_end=past)
            filing.refresh_from_db()
            return workflow.close_publicity(filing, user)
        case "publish":
            return workflow.record_publication(filing, user, published_on=filing.publicity_end or past)
        case "record":
            return workflow.record_filing(filing, user)
    raise AssertionError(action)


# action -> {state it starts from: the one role allowed}
ALLOWED = {
    "submit": {State.DRAFT: "owner", State.RETURNED: "owner"},
    "return": {State.SUBMITTED: "carol"},
    "reject": {State.SUBMITTED: "carol", State.UNDER_EVALUATION: "carol", State.EVALUATED: "dave"},
    "start_evaluation": {State.SUBMITTED: "carol"},
    "conclude": {State.UNDER_EVALUATION: "carol"},
    "approve": {State.EVALUATED: "dave"},
    "open_publicity": {State.APPROVED: "carol"},
    "close_publicity": {State.IN_PUBLICITY: "carol"},
    # seed 001 第十条(五): the publication on the ministry's system, then the notice
    "publish": {State.AWAITING_RECORD: "carol"},
    "record": {State.PUBLISHED: "carol"},
}
TARGET = {
    "submit": State.SUBMITTED,
    "return": State.RETURNED,
    "reject": State.REJECTED,
    "start_evaluation": State.UNDER_EVALUATION,
    "conclude": State.EVALUATED,
    "approve": State.APPROVED,
    "open_publicity": State.IN_PUBLICITY,
    "close_publicity": State.AWAITING_RECORD,
    "publish": State.PUBLISHED,
    "record": State.FILED,
}

CASES = [(action, state) for action in ALLOWED for state in State.values]


@pytest.fixture
def people(bob, carol, dave, erin):
    return {"bob": bob, "carol": carol, "dave": dave, "erin": erin}


@pytest.mark.parametrize(("action", "state"), CASES)
def test_transition_matrix(action, state, people, alice):
    """Each person tries ``action`` on a fresh filing of alice's institution in ``state``."""
    for person in PEOPLE:
        filing = in_state(state, institution=alice.institution)
        user = alice if person == "owner" else people[person]
        allowed = ALLOWED[action].get(state) == person
        events_before = audit.trail(filing).count()
        if allowed:
            result = _call(action, filing, user)
            result.refresh_from_db()
            assert result.state == TARGET[action], person
            last = audit.trail(filing).last()
            assert (last.from_state, last.to_state) == (state, TARGET[action])
            assert last.actor == user
        else:
            with pytest.raises(workflow.WorkflowError) as refused:
                _call(action, filing, user)
            assert str(refused.value), person  # a message for the user, in Chinese
            filing.refresh_from_db()
            assert filing.state == state, person
            assert audit.trail(filing).count() == events_before, person


def test_refusal_messages_are_clear(alice, carol, dave):
    filing = in_state(State.SUBMITTED, institution=alice.institution)
    with pytest.raises(workflow.NotPermitted, match="没有执行此操作的权限"):
        workflow.start_evaluation(filing, dave)
    with pytest.raises(workflow.NotPermitted, match="当前状态为“待初审”"):
        workflow.approve(filing, dave)


def test_return_and_reject_need_reasons(alice, carol):
    filing = in_state(State.SUBMITTED, institution=alice.institution)
    with pytest.raises(workflow.WorkflowError, match="必须填写"):
        workflow.return_for_correction(filing, carol, "  ")
    with pytest.raises(workflow.WorkflowError, match="必须填写理由"):
        workflow.reject(filing, carol, "")


def test_each_transition_notifies_the_applicant_and_queues_an_email(
    alice, carol, django_capture_on_commit_callbacks, mailoutbox
):
    filing = in_state(State.SUBMITTED, institution=alice.institution)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_correction(filing, carol, "请补充营业执照")
    assert alice.notifications.filter(text__contains="退回补正").exists()
    assert {m.to[0] for m in mailoutbox} == {alice.email, filing.contact_email}
    assert "退回补正" in mailoutbox[0].subject


def test_internal_notes_hidden_from_applicant(alice, carol):
    filing = in_state(State.UNDER_EVALUATION, institution=alice.institution)
    UserFactory.create_batch(3, role="expert")
    workflow.draw_experts(filing, carol)
    assert audit.trail(filing).filter(event="experts_drawn", internal=True).exists()
    assert not audit.trail(filing, include_internal=False).filter(event="experts_drawn").exists()


def test_resubmission_restarts_the_clock(alice, carol):
    filing = in_state(State.DRAFT, institution=alice.institution)
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)):
        workflow.submit(filing, alice)
    first_due = filing.due_on
    workflow.return_for_correction(filing, carol, "补正")
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, tzinfo=datetime.UTC)):
        workflow.submit(filing, alice)
    assert first_due == datetime.date(2026, 3, 9)
    assert filing.due_on == datetime.date(2026, 3, 23)


def test_submit_refuses_incomplete_application_and_says_which_section(alice):
    from .factories import FilingFactory

    filing = FilingFactory(institution=alice.institution, it_description="", pledge_accepted=False)
    with pytest.raises(workflow.Incomplete) as incomplete:
        workflow.submit(filing, alice)
    text = "\n".join(incomplete.value.missing)
    assert "二、申报职业" in text
    assert "四、人员情况" in text
    assert "五、申报材料" in text
    assert "六、诚信承诺" in text
    assert "三、场地设备" in text
    filing.refresh_from_db()
    assert filing.state == State.DRAFT
