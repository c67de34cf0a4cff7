"""Daily beat tasks of life after filing (Filings II); idempotent, safe to run twice the same day.

- ``filings.send_renewal_reminders``: 60, 30 and 7 days before expiry, an in-portal notification and
  an e-mail to the institution (one per step and validity period: RenewalReminder is unique).
- ``filings.flag_overdue_rectifications``: a rectification whose deadline passed without completion is
  flagged once (audit event on the filing, in-portal notice to the centre staff who imposed it).
- ``filings.cancel_expired_filings``: filings whose validity ended without an approved renewal are
  cancelled (注销, seed 001 第十二条) with the audit event. Scheduled before Filings I's daily
  deadlines task, whose ``expire`` step would otherwise move them to "expired" instead.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal import audit, outbox, workdays
from portal.links import absolute_url

from . import lifecycle, workflow
from .constants import State
from .constants_after import RENEWAL_REMINDER_DAYS, RenewalState, SanctionKind
from .models import Filing, Renewal, RenewalReminder, Sanction

log = logging.getLogger(__name__)


def _day(on) -> date:
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
        if lifecycle.live_renewal(filing):
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
            url = lifecycle.after_url(filing)
            recipients = set()
            for user in workflow.applicants(filing):
                audit.notify(user, text, url)
                if user.email:
                    recipients.add(user.email)
            if filing.contact_email:
                recipients.add(filing.contact_email)
            for address in sorted(recipients):
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
    for filing in lifecycle.expired_without_renewal(on):
        try:
            if lifecycle.cancel_at_expiry(filing, on):
                done.append(filing.pk)
        except workflow.WorkflowError as error:
            log.info("filing %s not cancelled at expiry: %s", filing.pk, error)
    return done


@shared_task(name="filings.send_renewal_reminders", time_limit=300, soft_time_limit=270)
def send_renewal_reminders(on: str | None = None) -> int:
    return send_due_reminders(_day(on))


@shared_task(name="filings.cancel_expired_filings", time_limit=300, soft_time_limit=270)
def cancel_expired_filings(on: str | None = None) -> list[int]:
    return cancel_expired(_day(on))


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
                audit.notify(sanction.created_by, text, lifecycle.after_url(sanction.filing))
            flagged += 1
    return flagged


@shared_task(name="filings.flag_overdue_rectifications", time_limit=300, soft_time_limit=270)
def flag_overdue_rectifications(on: str | None = None) -> int:
    return flag_overdue(_day(on))
