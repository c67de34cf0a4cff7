"""Two staff acting on the same filing at once, on two real PostgreSQL connections: one wins, the
other is told "该申请已被他人修改，请刷新后重试" and nothing is lost or half-done."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from filings import workflow
from filings.constants import State
from filings.models import Filing
from portal import audit
from tests.portal.factories import UserFactory

from .factories import in_state

STALE = "该申请已被他人修改，请刷新后重试"


def _race(filing_pk, actions):
    """Each action runs in its own thread (own database connection) on an instance loaded before
    either acts."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(i, action):
        try:
            mine = Filing.objects.get(pk=filing_pk)
            barrier.wait(timeout=10)
            action(mine)
            results[i] = "ok"
        except workflow.WorkflowError as error:
            results[i] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_one_wins(carol):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    carol2 = UserFactory(role="centre_staff")
    filing = in_state(State.SUBMITTED)
    for _ in range(5):  # repeat: whichever thread gets there first, the outcome is the same
        filing = in_state(State.SUBMITTED)
        results = _race(
            filing.pk,
            [
                lambda f: workflow.start_evaluation(f, carol),
                lambda f: workflow.return_for_correction(f, carol2, "请补正"),
            ],
        )
        assert sorted(results) == sorted(["ok", STALE]), results
        filing.refresh_from_db()
        winner = State.UNDER_EVALUATION if results[0] == "ok" else State.RETURNED
        assert filing.state == winner
        transitions = [e for e in audit.trail(filing) if e.to_state]
        assert [e.to_state for e in transitions] == [winner]
        assert filing.version == 1


@pytest.mark.django_db
def test_stale_instance_is_refused(carol, dave):
    filing = in_state(State.EVALUATED)
    first = Filing.objects.get(pk=filing.pk)
    second = Filing.objects.get(pk=filing.pk)
    workflow.approve(first, dave)
    with pytest.raises(workflow.StaleFiling, match=STALE):
        workflow.reject(second, dave, "不同意")
    filing.refresh_from_db()
    assert filing.state == State.APPROVED


@pytest.mark.django_db
def test_same_state_edit_is_also_protected(carol):
    """Assignment does not change the state; the version still catches the second writer."""
    filing = in_state(State.SUBMITTED)
    first = Filing.objects.get(pk=filing.pk)
    second = Filing.objects.get(pk=filing.pk)
    workflow.assign(first, carol, carol)
    with pytest.raises(workflow.StaleFiling):
        workflow.start_evaluation(second, carol)


@pytest.mark.django_db
def test_page_with_an_old_version_gets_the_message(client, carol):
    filing = in_state(State.SUBMITTED)
    old_version = filing.version
    workflow.assign(filing, carol, carol)
    client.force_login(carol)
    response = client.post(
        reverse("filings:act", args=[filing.pk, "return"]),
        {"version": old_version, "comment": "补正"},
        follow=True,
    )
    assert STALE in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


@pytest.mark.django_db
def test_second_reviewer_on_an_old_page_is_told_it_changed(client, carol):
    filing = in_state(State.SUBMITTED)
    page_version = filing.version
    workflow.start_evaluation(filing, carol)  # the first reviewer
    client.force_login(carol)
    response = client.post(
        reverse("filings:act", args=[filing.pk, "return"]),
        {"version": page_version, "comment": "补正"},
        follow=True,
    )
    assert STALE in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_sequences_allocated_at_once_are_distinct(carol):
    """Four filings recorded at the same moment on four connections: four consecutive numbers."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    filings = [
        in_state(State.PUBLISHED) for _ in range(4)
    ]  # seed 001 第十条(五): the notice follows the ministry's publication
    barrier = threading.Barrier(4)
    errors = []

    def record(pk):
        try:
            mine = Filing.objects.get(pk=pk)
            barrier.wait(timeout=10)
            workflow.record_filing(mine, carol, city_code="05", institution_type=3)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(f.pk,)) for f in filings]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    sequences = sorted(
        Filing.objects.filter(pk__in=[f.pk for f in filings]).values_list("institution_sequence", flat=True)
    )
    assert sequences == ["053001", "053002", "053003", "053004"]
