"""Issue 31 part 2: the state changes that bypassed portal.transitions now go through it, each with
its named event on the trail users read (expiry cancellation, lapses, objections, complaints)."""

from datetime import date

import pytest
from django_fsm import has_transition_perm

from filings import after_filing
from filings.constants import State
from portal import audit, roles, transitions

from .factories_after import FiledFilingFactory

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
