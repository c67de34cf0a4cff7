"""Periodic tasks of the certification app (merged into CELERY_BEAT_SCHEDULE by the settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Daily, Beijing time; idempotent (one e-mail per plan, clock and due date), so reruns send nothing new.
    "certification-result-clocks": {
        "task": "certification.check_result_clocks",
        "schedule": crontab(hour=7, minute=15),
    },
}
