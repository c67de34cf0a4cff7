"""Ineligible candidates cannot be confirmed unless staff override them with a reason (issue 6): the
centre's approval of a plan is refused while any of them is not overridden, naming them."""

import pytest
from django.urls import reverse

from certification import workflow
from certification.constants import State
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, submitted=True, staffed=True)
    CandidateFactory(plan=plan, row=2, name="张合格")
    return plan


def test_all_eligible_is_approved(plan, carol):
    workflow.approve(plan, carol)
    assert plan.state == State.APPROVED


def test_refused_while_an_ineligible_candidate_is_not_overridden(plan, alice, carol):
    li = CandidateFactory(plan=plan, row=3, name="李不符", eligible=False, clause="")
    CandidateFactory(plan=plan, row=4, name="王不符", eligible=False, clause="")
    with pytest.raises(workflow.NotPermitted):
        workflow.approve(plan, alice)  # the institution never gets to see the checks' outcome
    with pytest.raises(workflow.Refused) as refused:
        workflow.approve(plan, carol)
    message = refused.value.problems[-1]
    assert "2 名考生不符合申报条件且未经人工确认" in message
    assert "第 3 行 李不符" in message and "第 4 行 王不符" in message and "张合格" not in message
    plan.refresh_from_db()
    assert plan.state == State.SUBMITTED
    workflow.override_candidate(li, carol, "经核实，工作年限证明齐全")
    with pytest.raises(workflow.Refused) as still:
        workflow.approve(plan, carol)
    assert "1 名考生" in still.value.problems[-1] and "李不符" not in still.value.problems[-1]


def test_approved_once_every_ineligible_candidate_is_overridden(plan, carol):
    for row in (3, 4):
        candidate = CandidateFactory(plan=plan, row=row, eligible=False, clause="")
        workflow.override_candidate(candidate, carol, "经核实，符合破格条件")
    workflow.approve(plan, carol)
    assert plan.state == State.APPROVED


def test_long_lists_are_cut_and_counted(plan, carol):
    for row in range(3, 3 + workflow.UNCONFIRMED_LISTED + 5):
        CandidateFactory(plan=plan, row=row, name=f"不符{row}", eligible=False, clause="")
    with pytest.raises(workflow.Refused) as refused:
        workflow.approve(plan, carol)
    message = refused.value.problems[-1]
    assert f"{workflow.UNCONFIRMED_LISTED + 5} 名考生" in message and " 等" in message
    assert message.count("第 ") == workflow.UNCONFIRMED_LISTED


def test_submission_is_not_blocked_only_approval(alice):
    """The institution cannot override: it may submit, the centre decides."""
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, staffed=True)
    CandidateFactory(plan=plan, eligible=False, clause="")
    assert not any("未经人工确认" in p for p in workflow.plan_refusals(plan, plan.start_date))


def test_centre_sees_the_refusal_on_the_plan_page(client, plan, carol):
    CandidateFactory(plan=plan, row=3, name="李不符", eligible=False, clause="")
    client.force_login(carol)
    page = client.get(reverse("certification:plan", args=[plan.pk])).content.decode()
    assert "第 3 行 李不符" in page  # in the centre's checks before it decides
    response = client.post(reverse("certification:plan_approve", args=[plan.pk]), follow=True)
    text = response.content.decode()
    assert "不能通过审查" in text and "第 3 行 李不符" in text
    plan.refresh_from_db()
    assert plan.state == State.SUBMITTED
