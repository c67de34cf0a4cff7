"""The deadline rules of filings, run once a day (filings/tasks.py wraps them for Celery beat); each is
idempotent, so a second run the same day changes nothing.

- publicity: opened on its first working day, closed after 5 working days (seed 001 第十条(四));
- preliminary review: flagged once when past its working-day limit, the assignee (or the centre) told;
- renewal reminders 90, 60, 30 and 7 days before expiry (constants_after.RENEWAL_REMINDER_DAYS; one per
  step and validity period, a RenewalReminder row inserted before sending);
- rectifications past their deadline flagged once;
- filings past their validity without an approved renewal cancelled (注销, seed 001 第十二条).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import audit, outbox, workdays
from portal.links import absolute_url

from . import after_filing, workflow
from .constants import State
from .constants_after import RENEWAL_REMINDER_DAYS, RenewalState, SanctionKind
from .models import SYSTEM, Filing, Renewal, RenewalReminder, Sanction

log = logging.getLogger(__name__)


def day_of(on) -> date:
    if on is None:
        return workdays.today()
    return on if isinstance(on, date) else date.fromisoformat(on)


def reminder_step(days_left: int) -> int | None:
    """The reminder due with ``days_left`` days to expiry: the smallest step >= days_left, so a
    missed day is caught up (with 59 days left the 60-day reminder is still sent) but no step repeats."""
    steps = [d for d in sorted(RENEWAL_REMINDER_DAYS) if d >= days_left >= 0]
    return steps[0] if steps else None


def reminders_due(on: date):
    """(filing, step) pairs due on ``on``: filed, expiring within the window, no renewal pending or
    approved for this period, and that step not sent yet for this period."""
    horizon = on + timedelta(days=max(RENEWAL_REMINDER_DAYS))
    live = Renewal.objects.filter(state__in=[RenewalState.SUBMITTED, RenewalState.APPROVED])
    filings = (
        Filing.objects.filter(state=State.FILED, valid_until__gte=on, valid_until__lte=horizon)
        .exclude(pk__in=live.values("filing_id"))
        .order_by("valid_until", "pk")
    )
    sent = {
        (r.filing_id, r.valid_until, r.days_before)
        for r in RenewalReminder.objects.filter(valid_until__gte=on, valid_until__lte=horizon)
    }
    for filing in filings:
        if after_filing.live_renewal(filing):
            continue
        step = reminder_step((filing.valid_until - on).days)
        if step is not None and (filing.pk, filing.valid_until, step) not in sent:
            yield filing, step


def send_reminder(filing: Filing, step: int, on: date) -> bool:
    try:
        with transaction.atomic():
            RenewalReminder.objects.create(
                filing=filing, valid_until=filing.valid_until, days_before=step, sent_on=on
            )
            text = _("备案有效期至 %(until)s，还有 %(days)s 天到期，请在期满前 60 日内提出续期申请") % {
                "until": filing.valid_until,
                "days": (filing.valid_until - on).days,
            }
            row = audit.record("renewal_reminded", filing, None, comment=text, days_before=step)
            url = after_filing.after_url(filing)
            for address in workflow.tell_applicants(filing, text, url):
                outbox.queue(
                    f"renewal-{filing.pk}-{filing.valid_until:%Y%m%d}-{step}-{address}"[:100],
                    address,
                    _("【技能认定门户】评价机构备案即将到期，请及时申请续期"),
                    f"{filing.name}：\n\n{text}。\n"
                    + _("请登录技能认定门户办理：%(url)s") % {"url": absolute_url(url)}
                    + f"\n（{row.pk}）\n",
                    about=filing,
                )
    except IntegrityError:  # another run sent this step already
        return False
    return True


def send_due_reminders(on: date) -> int:
    return sum(1 for filing, step in list(reminders_due(on)) if send_reminder(filing, step, on))


def cancel_expired(on: date) -> list[int]:
    """Cancels every filing whose validity ended before ``on``; returns their ids (empty on a rerun)."""
    done = []
    for filing in after_filing.expired_without_renewal(on):
        try:
            if after_filing.cancel_at_expiry(filing, on):
                done.append(filing.pk)
        except workflow.WorkflowError as error:
            log.info("filing %s not cancelled at expiry: %s", filing.pk, error)
    return done


def overdue_rectifications(on: date):
    """Open rectifications whose deadline is before ``on`` (the deadline day itself is still in time)."""
    return Sanction.objects.filter(
        kind=SanctionKind.RECTIFICATION, rectified_on__isnull=True, deadline__lt=on, filing__state=State.FILED
    ).select_related("filing", "created_by")


def flag_overdue(on: date) -> int:
    """Flags each overdue rectification once; the audit row is the record (a rerun finds it)."""
    from django.contrib.contenttypes.models import ContentType

    from portal.models import AuditEvent

    filing_type = ContentType.objects.get_for_model(Filing)
    flagged = 0
    for sanction in overdue_rectifications(on):
        with transaction.atomic():
            Sanction.objects.select_for_update().filter(pk=sanction.pk).first()
            if AuditEvent.objects.filter(
                event="rectification_overdue",
                target_type=filing_type,
                target_id=str(sanction.filing_id),
                data__sanction=sanction.pk,
            ).exists():
                continue
            text = _("“%(name)s”限期整改已于 %(deadline)s 到期，尚未登记整改完成") % {
                "name": sanction.filing.name,
                "deadline": sanction.deadline,
            }
            audit.record(
                "rectification_overdue",
                sanction.filing,
                None,
                internal=True,
                comment=text,
                sanction=sanction.pk,
            )
            if sanction.created_by:
                audit.notify(sanction.created_by, text, after_filing.after_url(sanction.filing))
            flagged += 1
    return flagged


def _each(filings, step, on, not_done: str) -> int:
    """Fires ``step`` (a workflow function) on each filing as the system; how many moved. One that
    cannot move (an open objection holds it, someone else moved it) is logged with ``not_done``."""
    moved = 0
    for filing in filings:
        try:
            step(filing, SYSTEM, on=on)
            moved += 1
        except workflow.WorkflowError as error:
            log.info(not_done, filing.pk, error)
    return moved


def open_due_publicity(on):
    due = Filing.objects.filter(state=State.APPROVED, publicity_start__lte=on)
    return _each(due, workflow.open_publicity, on, "publicity of filing %s not opened: %s")


def close_ended_publicity(on):
    ended = Filing.objects.filter(state=State.IN_PUBLICITY, publicity_end__lt=on)
    return _each(ended, workflow.close_publicity, on, "publicity of filing %s not closed: %s")


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
            for user in [filing.assignee] if filing.assignee else workflow.centre_staff():
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
    return len(cancel_expired(on))


def run_daily(day: date) -> dict:
    """Filings I's daily deadlines, in order: publicity opened and closed, reviews flagged, expired
    filings cancelled."""
    return {
        "opened": open_due_publicity(day),
        "closed": close_ended_publicity(day),
        "overdue": flag_overdue_reviews(day),
        "cancelled_at_expiry": expire_ended_filings(day),
    }
