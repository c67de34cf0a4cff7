"""Issue 31 part 2: the state changes that bypassed portal.transitions now go through it, each with
its named event on the trail users read (expiry cancellation, lapses, objections, complaints)."""

from datetime import date

import pytest
from django.urls import reverse
from django_fsm import has_transition_perm

from filings import after_filing, complaints, workflow
from filings.constants import State
from filings.constants_after import (
    BlacklistState,
    ChangeState,
    ComplaintOutcome,
    ComplaintState,
    RenewalState,
    TerminationState,
)
from filings.models import ChangeRequest, ObjectionState, Renewal
from portal import audit, roles, transitions

from .factories import in_state
from .factories_after import (
    BlacklistEntryFactory,
    ChangeRequestFactory,
    ComplaintFactory,
    FiledFilingFactory,
    RenewalFactory,
    set_state,
)

pytestmark = pytest.mark.django_db

EXPIRY = date(2029, 2, 28)


@pytest.fixture
def filed(alice):
    return FiledFilingFactory(institution=alice.institution, filed_on=date(2026, 3, 1))


# -- 1. cancellation at expiry: the system's own transition ------------------------------------------


def test_expiry_cancellation_is_the_systems_own_transition(filed, carol, dave):
    assert "cancel_at_expiry" in transitions.available(filed, roles.SYSTEM)
    assert "cancel" not in transitions.available(filed, roles.SYSTEM)
    for person in (carol, dave):
        assert not has_transition_perm(filed.cancel_at_expiry, person)
    with pytest.raises(after_filing.NotPermitted):
        transitions.fire(filed, transitions.Step("cancel_at_expiry", "filing_cancelled_at_expiry"), carol)
    filed.refresh_from_db()
    assert filed.state == State.FILED


def test_expiry_cancellation_leaves_its_event_on_the_filings_trail(filed):
    version = filed.version
    assert after_filing.cancel_at_expiry(filed, date(2029, 3, 1))
    filed.refresh_from_db()
    assert filed.state == State.CANCELLED
    assert filed.version == version + 1  # saved by the engine, under the version lock
    (row,) = audit.trail(filed).filter(event="filing_cancelled_at_expiry")
    assert (row.from_state, row.to_state, row.actor) == (State.FILED, State.CANCELLED, None)
    assert not row.internal
    assert "2029-02-28" in row.comment
    assert not after_filing.cancel_at_expiry(filed, date(2029, 3, 1))  # a rerun changes nothing
    assert audit.trail(filed).filter(event="filing_cancelled_at_expiry").count() == 1


# -- 2. lapses: each open request ends through the engine, one named event each -----------------------


def test_expiry_lapses_each_open_request_with_its_own_event(filed):
    renewal = RenewalFactory(filing=filed)
    site = ChangeRequestFactory(filing=filed)
    scope = ChangeRequestFactory(filing=filed)
    ChangeRequest.objects.filter(pk=scope.pk).update(state=ChangeState.UNDER_EVALUATION)
    done = ChangeRequestFactory(filing=filed)
    ChangeRequest.objects.filter(pk=done.pk).update(state=ChangeState.APPLIED)

    assert after_filing.cancel_at_expiry(filed, date(2029, 3, 1))

    renewal.refresh_from_db()
    assert renewal.state == RenewalState.LAPSED and renewal.decided_at and renewal.decided_by is None
    assert "注销" in renewal.decision_comment
    states = dict(ChangeRequest.objects.values_list("pk", "state"))
    assert states == {
        site.pk: ChangeState.REJECTED,
        scope.pk: ChangeState.REJECTED,
        done.pk: ChangeState.APPLIED,
    }
    trail = audit.trail(filed)
    (lapsed,) = trail.filter(event="renewal_lapsed")
    assert lapsed.data["renewal"] == renewal.pk
    assert (lapsed.data["step_from"], lapsed.data["step_to"]) == (RenewalState.SUBMITTED, RenewalState.LAPSED)
    ended = trail.filter(event="change_lapsed")
    assert sorted(e.data["change"] for e in ended) == sorted([site.pk, scope.pk])
    assert {e.data["step_from"] for e in ended} == {ChangeState.SUBMITTED, ChangeState.UNDER_EVALUATION}
    assert all(e.actor is None and not e.internal for e in [lapsed, *ended])


def test_revocation_lapses_requests_in_the_bureaus_name(filed, dave):
    renewal = RenewalFactory(filing=filed)
    after_filing.revoke(filed, dave, reason="违规发证")
    renewal.refresh_from_db()
    assert renewal.state == RenewalState.LAPSED and renewal.decided_by == dave
    (row,) = audit.trail(filed).filter(event="renewal_lapsed")
    assert row.actor == dave


def test_a_request_lapses_only_once_its_filing_ended_and_never_for_the_applicant(filed, alice, carol):
    renewal = RenewalFactory(filing=filed)
    step = transitions.Step("lapse", "renewal_lapsed")
    with pytest.raises(after_filing.NotPermitted, match="续期申请当前状态"):
        transitions.fire(renewal, step, carol, trail=filed)
    set_state(filed, State.CANCELLED)
    renewal = Renewal.objects.get(pk=renewal.pk)
    with pytest.raises(after_filing.NotPermitted):
        transitions.fire(renewal, step, alice, trail=renewal.filing)
    renewal.refresh_from_db()
    assert renewal.state == RenewalState.SUBMITTED
    assert not audit.trail(filed).filter(event="renewal_lapsed").exists()


# -- 3. objections and complaints are machines fired through the engine --------------------------------


@pytest.fixture
def objection(db):
    filing = in_state(State.IN_PUBLICITY)
    return workflow.raise_objection(filing, name="王某", contact="138", text="材料造假")


def test_objection_steps_refuse_wrong_roles_and_states(objection, alice, dave, carol):
    for person in (alice, dave):
        with pytest.raises(workflow.NotPermitted):
            workflow.resolve_objection(objection, person, upheld=False, resolution="x")
    assert not has_transition_perm(objection.dismiss, roles.SYSTEM)
    with pytest.raises(workflow.NotPermitted):
        transitions.fire(objection, transitions.Step("dismiss", "objection_dismissed"), dave)
    workflow.resolve_objection(objection, carol, upheld=False, resolution="经核查不属实")
    with pytest.raises(workflow.StaleFiling):
        workflow.resolve_objection(objection, carol, upheld=True, resolution="again")
    objection.refresh_from_db()
    with pytest.raises(workflow.NotPermitted, match="异议当前状态为“异议不成立”"):
        transitions.fire(objection, transitions.Step("uphold", "objection_upheld"), carol)
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DISMISSED and objection.resolved_by == carol


def test_a_resolved_objection_leaves_its_step_on_the_filings_trail(objection, carol):
    workflow.resolve_objection(objection, carol, upheld=True, resolution="经核查属实")
    (row,) = audit.trail(objection.filing).filter(event="objection_upheld")
    assert row.actor == carol and row.internal and row.comment == "经核查属实"
    assert row.data == {
        "step_from": ObjectionState.OPEN,
        "step_to": ObjectionState.UPHELD,
        "objection": objection.pk,
    }


def test_a_complaint_naming_no_filing_keeps_its_trail_on_itself(client, carol, dave):
    complaint = complaints.submit(name="王", contact="138", institution_name="无此机构", text="乱收费")
    assert complaint.filing is None
    with pytest.raises(workflow.NotPermitted):
        complaints.start_investigation(complaint, dave)
    assert not has_transition_perm(complaint.start_investigation, roles.SYSTEM)
    complaints.start_investigation(complaint, carol)
    with pytest.raises(workflow.StaleFiling):
        complaints.start_investigation(complaint, carol)
    complaint.refresh_from_db()
    with pytest.raises(workflow.NotPermitted, match="投诉举报当前状态为“调查核实中”"):
        transitions.fire(
            complaint, transitions.Step("start_investigation", "complaint_investigation_started"), carol
        )
    complaints.close(complaint, carol, outcome=ComplaintOutcome.UNFOUNDED, outcome_text="经核实不属实")
    rows = [(e.event, e.from_state, e.to_state, e.actor) for e in audit.trail(complaint)]
    assert rows == [
        ("complaint_received", "", "", None),
        ("complaint_investigation_started", ComplaintState.OPEN, ComplaintState.INVESTIGATING, carol),
        ("complaint_closed", ComplaintState.INVESTIGATING, ComplaintState.CLOSED, carol),
    ]
    client.force_login(carol)
    page = client.get(reverse("filings:complaint_detail", args=[complaint.pk])).content.decode()
    assert "开始调查核实投诉举报" in page and "投诉举报办结" in page


def test_a_linked_complaints_investigation_is_on_its_filings_trail(filed, carol):
    complaint = complaints.submit(name="王", contact="138", institution_name="某机构", text="替考")
    complaints.start_investigation(complaint, carol, filing=filed)
    complaint.refresh_from_db()
    assert complaint.filing == filed and complaint.assignee == carol
    (row,) = audit.trail(filed).filter(event="complaint_investigation_started")
    assert row.internal and row.actor == carol and row.data["complaint"] == complaint.pk
    events = [e.event for e in complaints.trail(complaint)]
    assert events == ["complaint_received", "complaint_investigation_started"]


def test_objection_and_complaint_states_refuse_direct_assignment(objection):
    complaint = ComplaintFactory()
    for obj, state in ((objection, ObjectionState.UPHELD), (complaint, ComplaintState.CLOSED)):
        with pytest.raises(AttributeError):
            obj.state = state


# -- 4. the request machines' states are protected ----------------------------------------------------


def test_request_states_refuse_direct_assignment_and_still_reload(filed, alice):
    renewal = RenewalFactory(filing=filed)
    change = ChangeRequestFactory(filing=filed)
    term = after_filing.request_termination(filed, alice, reason="业务调整")
    for obj, state in (
        (renewal, RenewalState.LAPSED),
        (change, ChangeState.APPLIED),
        (term, TerminationState.DONE),
    ):
        with pytest.raises(AttributeError):
            obj.state = state
        type(obj).objects.filter(pk=obj.pk).update(state=state)  # the fixture path: the database
        obj.refresh_from_db()
        assert obj.state == state


def test_the_blacklist_state_refuses_direct_assignment():
    entry = BlacklistEntryFactory()
    with pytest.raises(AttributeError):
        entry.state = BlacklistState.LIFTED
