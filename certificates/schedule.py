"""Periodic tasks of certificates (merged into CELERY_BEAT_SCHEDULE by settings)."""

BEAT_SCHEDULE = {
    # A batch whose worker died is picked up again (constants.STALE_BATCH_MINUTES without progress).
    "certificates-requeue-stale-batches": {
        "task": "certificates.requeue_stale_batches",
        "schedule": 300.0,
    },
}
