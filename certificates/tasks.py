"""Celery tasks of certificates. All are idempotent (ACKS_LATE redelivery after a crash is safe)."""

from celery import shared_task

from . import constants, issuance, lookup_log


def _batch_task(name):
    """A task that works through a batch: redelivered if its worker dies, under the issuing time limits."""
    return shared_task(
        name=name,
        acks_late=True,
        reject_on_worker_lost=True,
        time_limit=constants.ISSUE_TASK_TIME_LIMIT,
        soft_time_limit=constants.ISSUE_TASK_SOFT_TIME_LIMIT,
    )


@_batch_task("certificates.run_batch")
def run_batch_task(batch_id: int) -> dict:
    return issuance.run_batch(batch_id)


@_batch_task("certificates.reprint_batch_pdf")
def reprint_batch_pdf_task(batch_id: int) -> bool:
    """Prints a finished batch's PDF again after one of its certificates was revoked (issue 21)."""
    return issuance.reprint_batch_pdf(batch_id)


@shared_task(name="certificates.requeue_stale_batches", acks_late=True, time_limit=120, soft_time_limit=90)
def requeue_stale_batches_task() -> list[int]:
    return issuance.requeue_stale_batches()


@shared_task(name="certificates.purge_lookup_log", acks_late=True, time_limit=1800, soft_time_limit=1700)
def purge_lookup_log_task() -> int:
    return lookup_log.purge()
