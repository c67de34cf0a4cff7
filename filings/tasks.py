"""Celery tasks of filings: thin wrappers of filings.deadlines, idempotent, with time limits, safe to
run twice the same day. Scheduled in filings/schedule.py.

- ``run_daily_deadlines``: opens and closes publicity periods, flags overdue reviews and e-mails the
  assignee, cancels filings past their validity (注销).
- ``send_renewal_reminders``, ``flag_overdue_rectifications``, ``cancel_expired_filings``: life after
  filing (cancel_expired_filings runs before run_daily_deadlines, whose ``expire`` step would otherwise
  move such filings to "expired" instead of cancelling them).
- ``send_email_notice``: the old name of the mail task (portal.outbox sends mail now), kept one release.
"""

from celery import shared_task

from portal import outbox

from . import deadlines


@shared_task(name="filings.send_email_notice", time_limit=60, soft_time_limit=45)
def send_email_notice(notice_id: int) -> bool:
    """The old name of the mail task, kept for one release so that mails queued before the outbox
    (portal.outbox) still leave: ``notice_id`` is the row of the old filings table."""
    return outbox.send_legacy("filings", notice_id)


@shared_task(name="filings.run_daily_deadlines", time_limit=600, soft_time_limit=540)
def run_daily_deadlines(on: str | None = None) -> dict:
    return deadlines.run_daily(deadlines.day_of(on))


@shared_task(name="filings.send_renewal_reminders", time_limit=300, soft_time_limit=270)
def send_renewal_reminders(on: str | None = None) -> int:
    return deadlines.send_due_reminders(deadlines.day_of(on))


@shared_task(name="filings.cancel_expired_filings", time_limit=300, soft_time_limit=270)
def cancel_expired_filings(on: str | None = None) -> list[int]:
    return deadlines.cancel_expired(deadlines.day_of(on))


@shared_task(name="filings.flag_overdue_rectifications", time_limit=300, soft_time_limit=270)
def flag_overdue_rectifications(on: str | None = None) -> int:
    return deadlines.flag_overdue(deadlines.day_of(on))
