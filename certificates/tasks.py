"""Celery tasks of certificates. Both are idempotent (ACKS_LATE redelivery after a crash is safe)."""

from celery import shared_task

from . import constants, issuance


@shared_task(
    name="certificates.run_batch",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=constants.ISSUE_TASK_TIME_LIMIT,
    soft_time_limit=constants.ISSUE_TASK_SOFT_TIME_LIMIT,
)
def run_batch_task(batch_id: int) -> dict:
    return issuance.run_batch(batch_id)


@shared_task(name="certificates.requeue_stale_batches", acks_late=True, time_limit=120, soft_time_limit=90)
def requeue_stale_batches_task() -> list[int]:
    return issuance.requeue_stale_batches()
