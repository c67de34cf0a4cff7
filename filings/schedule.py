"""Periodic tasks of the filings app (merged into CELERY_BEAT_SCHEDULE by the settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Daily, shortly after midnight Beijing time; idempotent, so a second run changes nothing.
    "filings-daily-deadlines": {
        "task": "filings.run_daily_deadlines",
        "schedule": crontab(hour=0, minute=30),
    },
}
