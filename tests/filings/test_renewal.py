"""Renewal (seed 001 第十二条): only in the 60 days before expiry; approval extends validity 3 years
from the old expiry; reminders 90/60/30/7 days before; expiry without an approved renewal cancels."""

from datetime import date, timedelta

import pytest
import time_machine

from filings import after_filing, deadlines, institutions, tasks
from filings.constants import State
from filings.constants_after import RENEWAL_WINDOW_DAYS, RenewalState
from filings.models import Filing, Renewal, RenewalReminder
from portal.models import AuditEvent, Notification, OutboxMail

from .factories_after import FiledFilingFactory, RenewalFactory

pytestmark = pytest.mark.django_db

EXPIRY = date(2029, 2, 28)


@pytest.fixture
def filed(alice):
    return FiledFilingFactory(institution=alice.institution, filed_on=date(2026, 3, 1))


def test_factory_expiry(filed):
    assert filed.valid_until == EXPIRY
    assert filed.state == State.FILED


@pytest.mark.parametrize(
    ("days_before", "accepted"),
    [
        (RENEWAL_WINDOW_DAYS + 1, False),
        (RENEWAL_WINDOW_DAYS, True),
        (RENEWAL_WINDOW_DAYS - 1, True),
        (0, True),
    ],
)
def test_renewal_window_boundaries(filed, alice, days_before, accepted):
    on = EXPIRY - timedelta(days=days_before)
    if accepted:
        renewal = after_filing.request_renewal(filed, alice, summary="工作情况", on=on)
        assert renewal.state == RenewalState.SUBMITTED
        assert renewal.old_valid_until == EXPIRY
    else:
        with pytest.raises(after_filing.WorkflowError, match="60 日内"):
            after_filing.request_renewal(filed, alice, summary="工作情况", on=on)
        assert not Renewal.objects.exists()


def test_renewal_after_expiry_refused(filed, alice):
    with pytest.raises(after_filing.WorkflowError, match="已于"):
        after_filing.request_renewal(filed, alice, summary="x", on=EXPIRY + timedelta(days=1))


def test_only_the_institution_may_request(filed, bob, carol):
    for user in (bob, carol):
        with pytest.raises(after_filing.NotPermitted):
            after_filing.request_renewal(filed, user, summary="x", on=EXPIRY - timedelta(days=10))


def test_no_second_renewal_for_the_same_period(filed, alice):
    on = EXPIRY - timedelta(days=10)
    after_filing.request_renewal(filed, alice, summary="x", on=on)
    with pytest.raises(after_filing.WorkflowError, match="请勿重复"):
        after_filing.request_renewal(filed, alice, summary="y", on=on)


def test_approval_extends_three_years_from_the_old_expiry(filed, alice, carol):
    renewal = after_filing.request_renewal(filed, alice, summary="x", on=EXPIRY - timedelta(days=40))
    # decided late (a week before expiry): still counted from the old expiry, not from today
    with time_machine.travel(date(2029, 2, 21), tick=False):
        after_filing.decide_renewal(renewal, carol, approve=True, comment="评估合格", score="88")
    filed.refresh_from_db()
    renewal.refresh_from_db()
    assert renewal.state == RenewalState.APPROVED
    assert filed.valid_until == date(2032, 2, 28) == renewal.new_valid_until
    assert filed.valid_from == date(2026, 3, 1)
    assert institutions.current_filing(alice.institution, date(2031, 1, 1)) == filed
    event = AuditEvent.objects.get(event="renewal_approved")
    assert event.data["old"] == "2029-02-28" and event.data["new"] == "2032-02-28"


def test_leap_day_expiry_extends_to_28_february():
    assert after_filing.extended_until(date(2028, 2, 29)) == date(2031, 2, 28)


def test_only_centre_decides(filed, alice, dave):
    renewal = after_filing.request_renewal(filed, alice, summary="x", on=EXPIRY - timedelta(days=5))
    for user in (alice, dave):
        with pytest.raises(after_filing.NotPermitted):
            after_filing.decide_renewal(renewal, user, approve=True, comment="ok")


def test_refused_renewal_then_cancelled_at_expiry(filed, alice, carol):
    renewal = after_filing.request_renewal(filed, alice, summary="x", on=EXPIRY - timedelta(days=5))
    after_filing.decide_renewal(renewal, carol, approve=False, comment="评估不合格")
    filed.refresh_from_db()
    assert filed.state == State.FILED and filed.valid_until == EXPIRY
    assert deadlines.cancel_expired(EXPIRY) == []  # still valid on its last day
    assert deadlines.cancel_expired(EXPIRY + timedelta(days=1)) == [filed.pk]
    filed.refresh_from_db()
    assert filed.state == State.CANCELLED


def test_expiry_task_cancels_exactly_the_expired_and_is_idempotent(alice):
    on = date(2029, 3, 1)
    expired = FiledFilingFactory(filed_on=date(2026, 2, 28))  # valid until 2029-02-27
    last_day = FiledFilingFactory(filed_on=date(2026, 3, 2))  # valid until 2029-03-01
    renewed = FiledFilingFactory(filed_on=date(2026, 2, 1))
    RenewalFactory(filing=renewed, state=RenewalState.APPROVED)
    Filing.objects.filter(pk=renewed.pk).update(valid_until=date(2032, 1, 31))
    pending = FiledFilingFactory(filed_on=date(2026, 1, 1))
    pending_renewal = RenewalFactory(filing=pending)
    draft = FiledFilingFactory(filed_on=date(2020, 1, 1), state=State.REJECTED)

    first = deadlines.cancel_expired(on)
    assert sorted(first) == sorted([expired.pk, pending.pk])
    states = dict(Filing.objects.values_list("pk", "state"))
    assert states[expired.pk] == states[pending.pk] == State.CANCELLED
    assert states[last_day.pk] == states[renewed.pk] == State.FILED
    assert states[draft.pk] == State.REJECTED
    pending_renewal.refresh_from_db()
    assert pending_renewal.state == RenewalState.LAPSED
    events = AuditEvent.objects.filter(event="filing_cancelled_at_expiry")
    assert events.count() == 2
    assert {e.to_state for e in events} == {State.CANCELLED}

    assert deadlines.cancel_expired(on) == []  # second run: nothing changes
    assert AuditEvent.objects.filter(event="filing_cancelled_at_expiry").count() == 2


@pytest.mark.parametrize(
    ("days_left", "step"),
    [
        (91, None),
        (90, 90),
        (89, 90),
        (61, 90),
        (60, 60),
        (59, 60),
        (31, 60),
        (30, 30),
        (8, 30),
        (7, 7),
        (0, 7),
        (-1, None),
    ],
)
def test_reminder_step(days_left, step):
    assert deadlines.reminder_step(days_left) == step


def test_reminders_90_60_30_7_once_each(filed, alice, django_capture_on_commit_callbacks):
    sent_days = []
    for day in range(100, -1, -1):
        on = EXPIRY - timedelta(days=day)
        with django_capture_on_commit_callbacks(execute=False):
            n = deadlines.send_due_reminders(on)
            assert deadlines.send_due_reminders(on) == 0  # second run the same day
        if n:
            sent_days.append(day)
    assert sent_days == [90, 60, 30, 7]
    assert sorted(RenewalReminder.objects.values_list("days_before", flat=True)) == [7, 30, 60, 90]
    assert Notification.objects.filter(user=alice).count() == 4
    assert OutboxMail.objects.filter(to=alice.email, key__startswith="renewal-").count() == 4


def _task_on(day: date) -> int:
    """The beat task as it runs on ``day`` (no date given: it reads today's)."""
    with time_machine.travel(day, tick=False):
        return tasks.send_renewal_reminders()


@pytest.mark.parametrize("step", [90, 60, 30])
def test_reminder_sent_on_its_day_not_the_day_before_nor_again_after(filed, alice, step):
    """Issue 39: day 91 / 90 / 89, 61 / 60 / 59, 31 / 30 / 29; the steps before were sent on theirs."""
    for earlier in [d for d in (90, 60, 30) if d > step]:
        RenewalReminder.objects.create(
            filing=filed, valid_until=EXPIRY, days_before=earlier, sent_on=EXPIRY - timedelta(days=earlier)
        )
    assert _task_on(EXPIRY - timedelta(days=step + 1)) == 0
    assert _task_on(EXPIRY - timedelta(days=step)) == 1
    assert _task_on(EXPIRY - timedelta(days=step)) == 0  # the task run twice the same day
    assert _task_on(EXPIRY - timedelta(days=step - 1)) == 0  # sent on its day, not again the day after
    reminder = RenewalReminder.objects.get(filing=filed, days_before=step)
    assert reminder.sent_on == EXPIRY - timedelta(days=step)
    assert Notification.objects.filter(user=alice).count() == 1
    assert OutboxMail.objects.filter(to=alice.email, key__startswith="renewal-").count() == 1


@pytest.mark.parametrize("step", [90, 60, 30])
def test_a_late_run_catches_up_once(filed, alice, step):
    """The task did not run on day ``step``: the run of the day after sends that step, once."""
    for earlier in [d for d in (90, 60, 30) if d > step]:
        RenewalReminder.objects.create(
            filing=filed, valid_until=EXPIRY, days_before=earlier, sent_on=EXPIRY - timedelta(days=earlier)
        )
    assert _task_on(EXPIRY - timedelta(days=step - 1)) == 1
    assert _task_on(EXPIRY - timedelta(days=step - 1)) == 0
    assert _task_on(EXPIRY - timedelta(days=step - 2)) == 0
    reminder = RenewalReminder.objects.get(filing=filed, days_before=step)
    assert reminder.sent_on == EXPIRY - timedelta(days=step - 1)
    assert RenewalReminder.objects.filter(filing=filed).count() == len([d for d in (90, 60, 30) if d >= step])


def test_no_reminder_once_renewal_requested(filed, alice):
    after_filing.request_renewal(filed, alice, summary="x", on=EXPIRY - timedelta(days=60))
    assert deadlines.send_due_reminders(EXPIRY - timedelta(days=30)) == 0


def test_applicant_renewal_view(client, filed, alice, bob):
    url = f"/filings/after/filing/{filed.pk}/renew/"
    with time_machine.travel(date(2028, 12, 29), tick=False):  # 61 days before
        client.force_login(alice)
        page = client.get(url)
        assert "可于 2028-12-30 起申请" in page.content.decode()
        client.post(url, {"summary": "工作情况"})
        assert not Renewal.objects.exists()
    with time_machine.travel(date(2028, 12, 30), tick=False):  # 60 days before
        client.force_login(alice)
        response = client.post(url, {"summary": "工作情况"})
        assert response.status_code == 302
        assert Renewal.objects.get().requested_on == date(2028, 12, 30)
    client.force_login(bob)
    assert client.get(url).status_code == 404
    assert client.get(f"/filings/after/filing/{filed.pk}/").status_code == 404
    assert client.get(f"/filings/after/renewals/{Renewal.objects.get().pk}/").status_code == 404


def test_centre_decides_in_the_view(client, filed, alice, carol):
    renewal = after_filing.request_renewal(filed, alice, summary="x", on=EXPIRY - timedelta(days=20))
    client.force_login(alice)
    client.post(f"/filings/after/renewals/{renewal.pk}/", {"decision": "approve", "comment": "ok"})
    renewal.refresh_from_db()
    assert renewal.state == RenewalState.SUBMITTED  # applicant cannot decide
    client.force_login(carol)
    response = client.post(
        f"/filings/after/renewals/{renewal.pk}/",
        {"decision": "approve", "comment": "评估合格", "score": "90"},
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.valid_until == date(2032, 2, 28)


@pytest.mark.django_db(transaction=True)
def test_expiry_task_through_a_real_worker(celery_worker):
    expired = FiledFilingFactory(filed_on=date(2026, 2, 28))
    current = FiledFilingFactory(filed_on=date(2026, 3, 2))
    result = tasks.cancel_expired_filings.delay("2029-03-01").get(timeout=60)
    assert result == [expired.pk]
    assert tasks.cancel_expired_filings.delay("2029-03-01").get(timeout=60) == []
    assert Filing.objects.get(pk=expired.pk).state == State.CANCELLED
    assert Filing.objects.get(pk=current.pk).state == State.FILED
    assert tasks.send_renewal_reminders.delay("2029-01-01").get(timeout=60) == 1


def test_beat_cancels_before_filings_i_expires():
    """The dedicated cancel task runs before the deadlines task; both cancel (注销) at expiry, so the
    order only decides which one records it."""
    from filings.schedule import BEAT_SCHEDULE

    cancel = BEAT_SCHEDULE["filings-cancel-expired"]["schedule"]
    deadlines = BEAT_SCHEDULE["filings-daily-deadlines"]["schedule"]
    assert BEAT_SCHEDULE["filings-cancel-expired"]["task"] == "filings.cancel_expired_filings"
    assert BEAT_SCHEDULE["filings-renewal-reminders"]["task"] == "filings.send_renewal_reminders"
    assert (min(cancel.hour), min(cancel.minute)) < (min(deadlines.hour), min(deadlines.minute))


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_reminder_once(alice):
    """Two runs of the task started together against PostgreSQL: the RenewalReminder insert of one
    waits for the other's and fails, so each filing's 90-day reminder goes once."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    filings = [
        FiledFilingFactory(institution=alice.institution, filed_on=date(2026, 3, 1)) for _i in range(4)
    ]
    on = EXPIRY - timedelta(days=90)
    start = threading.Barrier(2)
    sent, errors = [], []

    def run():
        from django.db import connection as own

        try:
            start.wait(timeout=30)
            sent.append(tasks.send_renewal_reminders(on.isoformat()))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert sum(sent) == len(filings)
    assert RenewalReminder.objects.count() == len(filings)
    assert Notification.objects.filter(user=alice).count() == len(filings)
    # one mail to each filing's own contact address and one to alice
    assert OutboxMail.objects.filter(key__startswith="renewal-").count() == 2 * len(filings)
    assert OutboxMail.objects.filter(key__startswith="renewal-", to=alice.email).count() == len(filings)
