"""Periodic tasks of certificates (merged into CELERY_BEAT_SCHEDULE by settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # A batch whose worker died is picked up again (constants.STALE_BATCH_MINUTES without progress).
    "certificates-requeue-stale-batches": {
        "task": "certificates.requeue_stale_batches",
        "schedule": 300.0,
    },
    # Lookup log lines older than the retention (constants.LOOKUP_LOG_RETENTION_DAYS_DEFAULT) go.
    "certificates-purge-lookup-log": {
        "task": "certificates.purge_lookup_log",
        "schedule": crontab(hour=3, minute=40),
    },
}
