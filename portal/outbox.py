"""The one mail queue of the portal (Open Forms' one mail path), delivered at least once.

A procedure calls :func:`queue` inside the transaction that decided the mail; the row is written with
it and the send task is queued after commit, so a rolled-back decision sends nothing. The key of the
row keeps a decision to one mail.

Delivery is at least once (issue 31 part 1). A sender (the task ``portal.send_mail``, portal/tasks.py,
or the sweep) first *claims* the row: a row lock taken with SKIP LOCKED, then ``claimed_at`` and
``attempts`` written, so two senders never work on one mail at once. ``sent_at`` is written only after
the SMTP server accepted the message. A failed attempt releases the claim and sets ``next_try_at`` (the
backoff of :func:`retry_delay`); the task retries at that time, and after :data:`MAX_ATTEMPTS` the mail
is ``failed_at``: the admin's failed list shows it and centre staff send it again (:func:`resend`).
A sender killed between its claim and SMTP leaves a claim that nobody renews: once it is older than
:data:`CLAIM_TIMEOUT` (longer than any sender may live), the sweep (:func:`sweep`, beat task
``portal.sweep_outbox`` every ``portal.schedule.SWEEP_EVERY_SECONDS``) takes it over, and so does the
task's late-ack redelivery, which comes back when the claim times out. The sweep also sends what was
never claimed (a queue message lost with Redis) and what waits for its retry. The one window left is a
sender killed after SMTP accepted the message and before ``sent_at`` was written: that mail goes out
twice, which at-least-once accepts. Why not django-post-office: README.md, "Mail: the outbox"."""

from __future__ import annotations

import logging
import math
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import audit, jobs, notices
from .models import OutboxMail

logger = logging.getLogger(__name__)

SEND_TASK = "portal.send_mail"
SWEEP_TASK = "portal.sweep_outbox"  # its beat entry: portal/schedule.py
KEY_LENGTH = OutboxMail._meta.get_field("key").max_length
SUBJECT_LENGTH = OutboxMail._meta.get_field("subject").max_length
ERROR_LENGTH = OutboxMail._meta.get_field("last_error").max_length

# Hard time limit (seconds) of one send task: Celery kills a task still running after it, so a live
# sender never holds a claim longer than this. The soft limit leaves the task time to record the failure.
SEND_TIME_LIMIT = 60
SEND_SOFT_TIME_LIMIT = 45
# The sweep stops claiming mails after this many seconds (the next sweep goes on), and is killed after
# SWEEP_TIME_LIMIT: the last mail it claimed still has SEND_TIME_LIMIT to go out.
SWEEP_CLAIMING_SECONDS = 120
SWEEP_TIME_LIMIT = SWEEP_CLAIMING_SECONDS + SEND_TIME_LIMIT
# A claim older than this was left by a sender that died (a killed worker): longer than any sender may
# live (SWEEP_TIME_LIMIT, the longer of the two), so a claim is never taken from a sender still working.
# Settings' OUTBOX_CLAIM_TIMEOUT_SECONDS (300); tests/cluster sets seconds, where no sender lives long.
CLAIM_TIMEOUT = timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
# An unclaimed mail younger than this is left to its own after-commit task (queued, not lost).
SWEEP_GRACE = timedelta(minutes=2)
# Mails one sweep sends at most (each claimed just before it is sent, so no claim waits in a batch).
SWEEP_BATCH = 200
# Failed sends in a row after which a sweep stops: the relay is down, and the mails not tried yet keep
# their attempts for the next sweep instead of each spending one on the same fault.
SWEEP_FAILURES_IN_A_ROW = 3
# What a mail given up on a dead sender's claim shows as its last error (a technical note for staff).
LOST_CLAIM_ERROR = "the sender died before the SMTP server accepted the mail"
# Attempts of one mail (the first send and its retries) before it is shown as failed to staff. With the
# backoff below the last one runs about half an hour after the first failure: long enough to ride out a
# restart of the mail relay, short enough that staff hear of a real fault the same day.
MAX_ATTEMPTS = 6
# Backoff between attempts: RETRY_BASE_SECONDS after the first failure, doubling (60, 120, 240, 480,
# 960 s), never more than RETRY_MAX_SECONDS.
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600


def queue(key: str, to: str, subject: str, body: str, *, about=None) -> OutboxMail | None:
    """Writes the mail once per key and sends it after commit; None when the key was queued before."""
    about_fields = {}
    if about is not None:
        about_fields = {"about_type": ContentType.objects.get_for_model(about), "about_id": str(about.pk)}
    mail, created = OutboxMail.objects.get_or_create(
        key=key[:KEY_LENGTH],
        defaults={"to": to, "subject": str(subject)[:SUBJECT_LENGTH], "body": str(body), **about_fields},
    )
    if not created:
        return None
    jobs.enqueue_after_commit(SEND_TASK, mail.pk)
    return mail


def already_queued(key: str) -> bool:
    return OutboxMail.objects.filter(key=key[:KEY_LENGTH]).exists()


def about(obj):
    """The mails about one object, newest first."""
    return OutboxMail.objects.filter(about_type=ContentType.objects.get_for_model(obj), about_id=str(obj.pk))


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the given number of failed attempts (1 -> RETRY_BASE_SECONDS)."""
    return min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


def pending():
    """Mails not sent yet and not given up."""
    return OutboxMail.objects.filter(sent_at__isnull=True, failed_at__isnull=True)


def failed():
    """Mails given up after MAX_ATTEMPTS, until staff send them again."""
    return OutboxMail.objects.filter(sent_at__isnull=True, failed_at__isnull=False)


def due(now):
    """Mails a sender may claim now: not sent, not given up, attempts left, no live claim, backoff over."""
    return pending().filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT),
        Q(next_try_at__isnull=True) | Q(next_try_at__lte=now),
        attempts__lt=MAX_ATTEMPTS,
    )


def claim(mail_id: int | None = None, *, swept: bool = False) -> OutboxMail | None:
    """Claims one due mail (this one, or the oldest) and returns it; None when there is none free. A row
    another sender is claiming at this moment is skipped (SKIP LOCKED), never waited for."""
    now = timezone.now()
    rows = due(now)
    if mail_id is not None:
        rows = rows.filter(pk=mail_id)
    if swept:
        # A mail never tried is left to its own task for SWEEP_GRACE after it was written.
        rows = rows.filter(Q(attempts__gt=0) | Q(created_at__lt=now - SWEEP_GRACE))
    with transaction.atomic():
        mail = rows.select_for_update(skip_locked=True).order_by("created_at", "pk").first()
        if mail is None:
            return None
        mail.claimed_at = now
        mail.attempts += 1
        mail.save(update_fields=["claimed_at", "attempts"])
    return mail


def deliver(mail: OutboxMail) -> None:
    """Sends a claimed mail; writes sent_at once SMTP accepted it. A failure releases the claim with the
    backoff (or gives the mail up after MAX_ATTEMPTS) and is raised again."""
    try:
        # Citations in the notices' own titles, also in a mail queued before the table (issue 29 item 7).
        subject, body = (notices.cite(text, strict=False) for text in (mail.subject, mail.body))
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [mail.to])
    except BaseException as exc:
        now = timezone.now()
        release = {"claimed_at": None, "last_error": f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]}
        if mail.attempts >= MAX_ATTEMPTS:
            release["failed_at"] = now
        else:
            release["next_try_at"] = now + timedelta(seconds=retry_delay(mail.attempts))
        # Only this sender's own claim is released (a claim taken over meanwhile is the other's).
        OutboxMail.objects.filter(pk=mail.pk, claimed_at=mail.claimed_at, sent_at__isnull=True).update(
            **release
        )
        raise
    OutboxMail.objects.filter(pk=mail.pk, sent_at__isnull=True).update(
        sent_at=timezone.now(), next_try_at=None, last_error=""
    )


def send(mail_id: int) -> bool:
    """Claims the mail and sends it; False when it was sent, is being sent, waits for its backoff or was
    given up. A failed send is raised (the task retries it after retry_delay)."""
    mail = claim(mail_id)
    if mail is None:
        return False
    deliver(mail)
    return True


def seconds_until_due(mail_id: int) -> int | None:
    """Seconds until the mail may be claimed (0: now): its backoff running, or a claim another sender
    holds until it times out. None when it will not be sent by a task (sent, given up, or gone)."""
    mail = pending().filter(pk=mail_id, attempts__lt=MAX_ATTEMPTS).only("next_try_at", "claimed_at").first()
    if mail is None:
        return None
    now = timezone.now()
    free_at = max(
        mail.next_try_at or now,
        mail.claimed_at + CLAIM_TIMEOUT if mail.claimed_at else now,
    )
    return max(math.ceil((free_at - now).total_seconds()), 0)


def give_up_stale_claims() -> int:
    """Claims left by dead senders on mails with no attempts left: shown as failed."""
    now = timezone.now()
    return (
        pending()
        .filter(claimed_at__lt=now - CLAIM_TIMEOUT, attempts__gte=MAX_ATTEMPTS)
        .update(claimed_at=None, failed_at=now, last_error=LOST_CLAIM_ERROR)
    )


def sweep() -> int:
    """Sends what is due and was lost by its task: never claimed (its queue message lost), claimed by a
    sender that died, or waiting for its retry. Safe to run in several processes at once. Returns the
    number of mails sent."""
    give_up_stale_claims()
    started = time.monotonic()
    sent = failures_in_a_row = 0
    for _ in range(SWEEP_BATCH):
        if (
            time.monotonic() - started > SWEEP_CLAIMING_SECONDS
            or failures_in_a_row >= SWEEP_FAILURES_IN_A_ROW
        ):
            break
        mail = claim(swept=True)
        if mail is None:
            break
        try:
            deliver(mail)
        except Exception:
            logger.warning("outbox: mail %s not sent (attempt %s)", mail.pk, mail.attempts, exc_info=True)
            failures_in_a_row += 1
            continue
        sent += 1
        failures_in_a_row = 0
    return sent


def resend(mail: OutboxMail, actor) -> bool:
    """Staff send a failed mail again: its attempts start afresh and it leaves after commit. False when
    it is not failed (sent meanwhile, or already back in the queue)."""
    with transaction.atomic():
        reset = (
            failed()
            .filter(pk=mail.pk)
            .update(failed_at=None, attempts=0, next_try_at=None, claimed_at=None, last_error="")
        )
        if not reset:
            return False
        audit.record("mail_resent", mail, actor, internal=True, to=mail.to, key=mail.key)
        jobs.enqueue_after_commit(SEND_TASK, mail.pk)
    return True


def send_legacy(app_label: str, notice_id: int) -> bool:
    """A task queued before the merge names the old table's row: find it by its old reference."""
    mail = OutboxMail.objects.filter(legacy_ref=f"{app_label}:{notice_id}").only("pk").first()
    return send(mail.pk) if mail else False
