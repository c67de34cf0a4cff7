"""The daily deadline task (filings.run_daily_deadlines) and the e-mail task: idempotent, safe to
run twice; run once through a real Celery worker on Redis against the PostgreSQL test database."""

import datetime

import pytest
from django.core import mail

from filings import deadlines, tasks, workflow
from filings.constants import State
from filings.models import Filing, Objection
from portal import audit
from portal import tasks as portal_tasks
from portal.models import OutboxMail

from .factories import in_state

DAY_AFTER = datetime.date(2026, 3, 16)  # publicity 9-13 March ended


def _publicity(dave, **kwargs):
    filing = in_state(State.EVALUATED, **kwargs)
    workflow.approve(filing, dave, on=datetime.date(2026, 3, 6))
    return filing


@pytest.mark.django_db
def test_daily_task_opens_and_closes_publicity_and_is_idempotent(dave):
    filing = _publicity(dave)
    held = _publicity(dave)
    assert tasks.run_daily_deadlines("2026-03-09") == {
        "opened": 2,
        "closed": 0,
        "overdue": 0,
        "cancelled_at_expiry": 0,
    }
    workflow.raise_objection(held, name="王某", contact="138", text="异议")
    assert tasks.run_daily_deadlines(DAY_AFTER.isoformat())["closed"] == 1
    assert tasks.run_daily_deadlines(DAY_AFTER.isoformat()) == {
        "opened": 0,
        "closed": 0,
        "overdue": 0,
        "cancelled_at_expiry": 0,
    }
    filing.refresh_from_db()
    held.refresh_from_db()
    assert filing.state == State.AWAITING_RECORD
    assert held.state == State.IN_PUBLICITY  # held by the open objection


@pytest.mark.django_db
def test_overdue_reviews_flagged_once_per_day_and_assignee_emailed(carol, django_capture_on_commit_callbacks):
    filing = in_state(State.SUBMITTED, due_on=datetime.date(2026, 3, 13), assignee=carol)
    in_state(State.SUBMITTED, due_on=datetime.date(2026, 3, 16))  # due today: not overdue
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.flag_overdue_reviews(datetime.date(2026, 3, 16)) == 1
        assert deadlines.flag_overdue_reviews(datetime.date(2026, 3, 16)) == 0
    assert [m.to for m in mail.outbox] == [[carol.email]]
    assert "超期" in mail.outbox[0].subject
    assert audit.trail(filing).filter(event="review_overdue").count() == 1
    assert carol.notifications.count() == 1


@pytest.mark.django_db
def test_expiry(carol):
    filing = in_state(
        State.FILED, valid_from=datetime.date(2023, 3, 1), valid_until=datetime.date(2026, 2, 28)
    )
    assert deadlines.expire_ended_filings(datetime.date(2026, 2, 28)) == 0
    assert deadlines.expire_ended_filings(datetime.date(2026, 3, 1)) == 1
    assert deadlines.expire_ended_filings(datetime.date(2026, 3, 1)) == 0  # idempotent
    filing.refresh_from_db()
    # Issue 5: a filing that ends without an approved renewal is cancelled (注销), not merely expired.
    assert filing.state == State.CANCELLED


@pytest.mark.django_db
def test_email_task_sends_once():
    notice = OutboxMail.objects.create(key="k1", to="a@example.org", subject="主题", body="正文")
    assert portal_tasks.send_mail_task(notice.pk) is True
    assert portal_tasks.send_mail_task(notice.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.celery_worker
def test_daily_task_through_a_real_worker(celery_worker, dave, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    filing = _publicity(dave)
    workflow.open_publicity(filing, on=datetime.date(2026, 3, 9))
    held = _publicity(dave)
    workflow.open_publicity(held, on=datetime.date(2026, 3, 9))
    workflow.raise_objection(held, name="王某", contact="138", text="异议")
    result = tasks.run_daily_deadlines.delay(DAY_AFTER.isoformat()).get(timeout=60)
    assert result["closed"] == 1
    again = tasks.run_daily_deadlines.delay(DAY_AFTER.isoformat()).get(timeout=60)
    assert again["closed"] == 0
    assert Filing.objects.get(pk=filing.pk).state == State.AWAITING_RECORD
    assert Filing.objects.get(pk=held.pk).state == State.IN_PUBLICITY
    assert Objection.objects.filter(filing=held, state="open").exists()
    # The notices the worker created were sent by the worker itself (claimed once).
    notices = OutboxMail.objects.filter(key__startswith="audit-")
    assert notices.exists()


@pytest.mark.django_db
def test_unassigned_overdue_review_is_told_to_the_centre(carol):
    in_state(State.SUBMITTED, due_on=datetime.date(2026, 3, 13))
    assert deadlines.flag_overdue_reviews(datetime.date(2026, 3, 16)) == 1
    assert carol.notifications.filter(text__contains="初审已超期").exists()
