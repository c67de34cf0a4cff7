"""Celery tasks of the filing workflow: idempotent, with time limits, safe to run twice.

- ``send_email_notice``: the old name of the mail task (portal.outbox sends mail now), kept one release.
- ``run_daily_deadlines``: opens and closes publicity periods, flags overdue reviews and e-mails the
  assignee, cancels filings past their validity (注销). Scheduled in filings/schedule.py.
"""

import logging

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import audit, outbox, workdays

from . import workflow
from .constants import State
from .models import SYSTEM, Filing

log = logging.getLogger(__name__)


@shared_task(name="filings.send_email_notice", time_limit=60, soft_time_limit=45)
def send_email_notice(notice_id: int) -> bool:
    """The old name of the mail task, kept for one release so that mails queued before the outbox
    (portal.outbox) still leave: ``notice_id`` is the row of the old filings table."""
    return outbox.send_legacy("filings", notice_id)


def open_due_publicity(on):
    opened = 0
    for filing in Filing.objects.filter(state=State.APPROVED, publicity_start__lte=on):
        try:
            workflow.open_publicity(filing, SYSTEM, on=on)
            opened += 1
        except workflow.WorkflowError as error:
            log.info("publicity of filing %s not opened: %s", filing.pk, error)
    return opened


def close_ended_publicity(on):
    closed = 0
    for filing in Filing.objects.filter(state=State.IN_PUBLICITY, publicity_end__lt=on):
        try:
            workflow.close_publicity(filing, SYSTEM, on=on)
            closed += 1
        except workflow.WorkflowError as error:  # an open objection holds it, or someone else moved it
            log.info("publicity of filing %s not closed: %s", filing.pk, error)
    return closed


def _centre_staff():
    from portal import roles
    from portal.models import User

    return list(User.objects.filter(groups__name=roles.CENTRE, is_active=True))


def flag_overdue_reviews(on):
    flagged = 0
    for filing in workflow.overdue_reviews(on).select_related("assignee"):
        with transaction.atomic():
            # Conditional update: a second run the same day finds nothing to claim.
            if (
                not Filing.objects.filter(pk=filing.pk, version=filing.version)
                .exclude(overdue_flagged_on=on)
                .update(overdue_flagged_on=on)
            ):
                continue
            audit.record("review_overdue", filing, None, internal=True, due=str(filing.due_on))
            if filing.assignee and filing.assignee.email:
                outbox.queue(
                    f"overdue-{filing.pk}-{on}",
                    filing.assignee.email,
                    _("【技能认定门户】初审已超期：%(name)s") % {"name": filing.name},
                    _("“%(name)s”的备案申请初审期限为 %(due)s，已超期，请尽快办理。")
                    % {"name": filing.name, "due": filing.due_on},
                    about=filing,
                )
            # The assignee is told; an unassigned review is everyone's at the centre.
            for user in [filing.assignee] if filing.assignee else _centre_staff():
                audit.notify(
                    user,
                    _("“%(name)s”初审已超期（期限 %(due)s）") % {"name": filing.name, "due": filing.due_on},
                    reverse("filings:detail", args=[filing.pk]),
                )
        flagged += 1
    return flagged


def expire_ended_filings(on):
    """Filings past their validity without an approved renewal are cancelled (注销, seed 001 第十二条),
    whichever of this daily task and filings.cancel_expired_filings runs first; returns how many."""
    from .lifecycle_tasks import cancel_expired

    return len(cancel_expired(on))


@shared_task(name="filings.run_daily_deadlines", time_limit=600, soft_time_limit=540)
def run_daily_deadlines(on: str | None = None) -> dict:
    from datetime import date

    day = date.fromisoformat(on) if on else workdays.today()
    return {
        "opened": open_due_publicity(day),
        "closed": close_ended_publicity(day),
        "overdue": flag_overdue_reviews(day),
        "cancelled_at_expiry": expire_ended_filings(day),
    }
