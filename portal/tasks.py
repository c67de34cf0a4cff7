"""Celery tasks of portal: thin wrappers of the plain modules, idempotent and time-limited."""

import logging

from celery import shared_task

from . import outbox

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name=outbox.SEND_TASK,
    time_limit=outbox.SEND_TIME_LIMIT,
    soft_time_limit=outbox.SEND_SOFT_TIME_LIMIT,
)
def send_mail_task(self, mail_id: int) -> bool:
    """Sends one queued mail once (portal.outbox.send claims it first). A failed send is retried when its
    backoff is over, until the outbox gives it up; a lost retry is the sweep's."""
    try:
        return outbox.send(mail_id)
    except Exception as exc:
        if self.request.called_directly:
            raise
        delay = outbox.seconds_to_retry(mail_id)
        if delay is None:
            raise  # given up: the admin's failed list shows it
        if self.request.is_eager:
            # Run in place (no broker): an immediate retry would find the backoff running; the sweep
            # sends it later, and the commit that queued it is not failed by the mail relay.
            logger.warning("mail %s not sent, retried in %s s: %s", mail_id, delay, exc)
            return False
        raise self.retry(exc=exc, countdown=delay, max_retries=None) from exc


@shared_task(
    name=outbox.SWEEP_TASK, time_limit=outbox.SWEEP_TIME_LIMIT, soft_time_limit=outbox.SWEEP_TIME_LIMIT - 10
)
def sweep_outbox_task() -> int:
    """The beat's safety net: sends the mails their tasks lost (portal.outbox.sweep)."""
    return outbox.sweep()
