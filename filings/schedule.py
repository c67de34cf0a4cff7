"""Periodic tasks of the filings app (merged into CELERY_BEAT_SCHEDULE by the settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Daily, shortly after midnight Beijing time; idempotent, so a second run changes nothing.
    "filings-daily-deadlines": {
        "task": "filings.run_daily_deadlines",
        "schedule": crontab(hour=0, minute=30),
    },
}

# -- Filings II (issue 5): life after filing. A filing that ended without an approved renewal is
# cancelled (注销, seed 001 第十二条); this task runs first, the deadlines task above does the same for
# any it finds later.
BEAT_SCHEDULE.update(
    {
        "filings-cancel-expired": {
            "task": "filings.cancel_expired_filings",
            "schedule": crontab(hour=0, minute=10),
        },
        "filings-renewal-reminders": {
            "task": "filings.send_renewal_reminders",
            "schedule": crontab(hour=8, minute=0),
        },
        "filings-overdue-rectifications": {
            "task": "filings.flag_overdue_rectifications",
            "schedule": crontab(hour=8, minute=5),
        },
    }
)
