"""Celery tasks of portal: thin wrappers of the plain modules, idempotent and time-limited."""

from celery import shared_task

from . import outbox


@shared_task(name=outbox.SEND_TASK, time_limit=60, soft_time_limit=45)
def send_mail_task(mail_id: int) -> bool:
    """Sends one queued mail once (portal.outbox.send claims it first)."""
    return outbox.send(mail_id)
