"""Periodic tasks of the certification app (merged into CELERY_BEAT_SCHEDULE by the settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Daily, Beijing time; idempotent (one e-mail per plan, clock and due date), so reruns send nothing new.
    "certification-result-clocks": {
        "task": "certification.check_result_clocks",
        "schedule": crontab(hour=7, minute=15),
    },
    # Daily, Beijing time: experts' qualifications ending and monthly summaries due (certification.reminders),
    # each sent once (a Reminder row), so a rerun or a second worker sends nothing new.
    "certification-reminders": {
        "task": "certification.send_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
}
