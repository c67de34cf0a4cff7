"""Celery tasks of portal: thin wrappers of the plain modules, idempotent and time-limited."""

import logging

from celery import shared_task
from celery.signals import task_failure

from . import health, metrics, outbox

logger = logging.getLogger(__name__)


@shared_task(name="portal.worker_heartbeat", time_limit=10, soft_time_limit=5, ignore_result=True)
def worker_heartbeat() -> None:
    """A worker is taking tasks: /readyz reports how long ago (portal.health)."""
    health.beat()


@task_failure.connect
def count_failure(sender=None, **kwargs):
    """Every task that raised, counted for the metrics of every host (portal.metrics)."""
    try:
        metrics.count_task_failure(getattr(sender, "name", None) or "unknown")
    except Exception:  # the count is a figure; the failure itself is logged by Celery
        logger.warning("task failure not counted", exc_info=True)


@shared_task(
    bind=True,
    name=outbox.SEND_TASK,
    time_limit=outbox.SEND_TIME_LIMIT,
    soft_time_limit=outbox.SEND_SOFT_TIME_LIMIT,
)
def send_mail_task(self, mail_id: int) -> bool:
    """Sends one queued mail once (portal.outbox.send claims it first). A failed send is retried when its
    backoff is over, until the outbox gives it up. A mail claimed by another sender (a redelivery after
    its worker died) is tried again when that claim times out; it is sent by then or taken over. A lost
    retry is the sweep's."""
    try:
        if outbox.send(mail_id):
            return True
        failure = None
    except Exception as exc:
        if self.request.called_directly:
            raise
        failure = exc
    delay = outbox.seconds_until_due(mail_id)
    if delay is None:
        if failure is not None:
            raise failure  # given up: the admin's failed list shows it
        return False  # sent, or given up
    if self.request.called_directly or self.request.is_eager:
        # Run in place (no broker): an immediate retry would find the backoff or the claim still
        # running; the sweep sends it later, and the commit that queued it is not failed by the relay.
        if failure is not None:
            logger.warning("mail %s not sent, due again in %s s: %s", mail_id, delay, failure)
        return False
    raise self.retry(exc=failure, countdown=delay, max_retries=None)


@shared_task(
    name=outbox.SWEEP_TASK, time_limit=outbox.SWEEP_TIME_LIMIT, soft_time_limit=outbox.SWEEP_TIME_LIMIT - 10
)
def sweep_outbox_task() -> int:
    """The beat's safety net: sends the mails their tasks lost (portal.outbox.sweep)."""
    return outbox.sweep()


@shared_task(name="portal.run_job", time_limit=30 * 60, soft_time_limit=29 * 60)
def run_job_task(job_id: str) -> None:
    """A long piece of work with a progress bar (portal.jobs.run)."""
    from . import jobs

    jobs.run(job_id)
