"""Issue 31 part 2: the state changes that bypassed portal.transitions now go through it, each with
its named event on the trail users read (expiry cancellation, lapses, objections, complaints)."""

from datetime import date

import pytest
from django_fsm import has_transition_perm

from filings import after_filing
from filings.constants import State
from filings.constants_after import ChangeState, RenewalState
from filings.models import ChangeRequest, Renewal
from portal import audit, roles, transitions

from .factories_after import ChangeRequestFactory, FiledFilingFactory, RenewalFactory, set_state

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
