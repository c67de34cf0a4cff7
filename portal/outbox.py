"""The one mail queue of the portal (Open Forms' one mail path).

A procedure calls :func:`queue` inside the transaction that decided the mail; the row is written with
it and the send task is queued after commit, so a rolled-back decision sends nothing. The task
(``portal.send_mail``, portal/tasks.py) claims the row with a conditional UPDATE before sending, so a
second run or a redelivery sends nothing twice; a failed send releases the claim for the retry."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.utils import timezone

from . import jobs, notices
from .models import OutboxMail

SEND_TASK = "portal.send_mail"
KEY_LENGTH = OutboxMail._meta.get_field("key").max_length
SUBJECT_LENGTH = OutboxMail._meta.get_field("subject").max_length


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


def send(mail_id: int) -> bool:
    """Claims the mail and sends it; False when it was sent (or is being sent) already."""
    claimed = OutboxMail.objects.filter(pk=mail_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return False
    mail = OutboxMail.objects.get(pk=mail_id)
    try:
        # Citations in the notices' own titles, also in a mail queued before the table (issue 29 item 7).
        subject, body = (notices.cite(text, strict=False) for text in (mail.subject, mail.body))
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [mail.to])
    except Exception:
        OutboxMail.objects.filter(pk=mail_id).update(sent_at=None)  # a retry sends it
        raise
    return True


def send_legacy(app_label: str, notice_id: int) -> bool:
    """A task queued before the merge names the old table's row: find it by its old reference."""
    mail = OutboxMail.objects.filter(legacy_ref=f"{app_label}:{notice_id}").only("pk").first()
    return send(mail.pk) if mail else False
