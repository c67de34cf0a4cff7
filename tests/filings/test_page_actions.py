"""The staff page offers what the machine allows: each button names a transition of Filing, and who
sees it in which state follows the transition's sources and permission (portal.transitions.available)."""

import pytest

from filings.constants import State
from filings.models import Filing
from filings.views.application import ACTIONS, _actions_for
from portal import transitions

from .factories import in_state

pytestmark = pytest.mark.django_db


def names(filing, user):
    return [a["name"] for a in _actions_for(filing, user)]


def test_every_button_fires_a_transition_of_the_machine():
    for action in ACTIONS.values():
        assert hasattr(getattr(Filing, action.transition), "_django_fsm"), action.transition


def test_each_person_is_offered_what_the_machine_allows(carol, dave, alice):
    submitted = in_state(State.SUBMITTED)
    assert names(submitted, carol) == ["pass", "return", "reject"]
    assert names(submitted, dave) == []
    assert names(submitted, alice) == []
    evaluating = in_state(State.UNDER_EVALUATION)
    assert names(evaluating, carol) == ["reject", "draw", "recommend", "not_recommend"]
    evaluated = in_state(State.EVALUATED)
    assert names(evaluated, carol) == []
    assert names(evaluated, dave) == ["approve", "bureau_reject"]
    assert names(in_state(State.AWAITING_RECORD), carol) == ["publish"]  # seed 001 第十条(五)
    assert names(in_state(State.PUBLISHED), carol) == ["record"]
    assert names(in_state(State.APPROVED), carol) == ["open_publicity"]


def test_the_offer_follows_the_machine_not_a_table(carol, monkeypatch):
    """Only the machine's answer changes here, and the page follows it."""
    filing = in_state(State.SUBMITTED)
    assert "start_evaluation" in transitions.available(filing, carol)
    monkeypatch.setattr(transitions, "available", lambda obj, user: ["reject"])
    assert names(filing, carol) == ["reject"]


def test_a_refused_button_says_why(client, carol, dave):
    filing = in_state(State.SUBMITTED)
    client.force_login(dave)
    response = client.post(f"/filings/{filing.pk}/act/pass/", {"version": filing.version}, follow=True)
    assert "您没有执行此操作的权限" in response.content.decode()
    client.force_login(carol)
    filing.refresh_from_db()
    response = client.post(f"/filings/{filing.pk}/act/approve/", {"version": filing.version}, follow=True)
    assert "不能执行此操作" in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED
