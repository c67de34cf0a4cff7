"""The Celery app. Redis broker from CELERY_BROKER_URL; without one, tasks run eagerly (settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="portal.ping", time_limit=10, soft_time_limit=5)
def ping():
    """A no-op round trip, used by health checks and the worker tests."""
    return "pong"
