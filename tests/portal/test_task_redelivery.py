"""A task whose worker dies goes to another worker (issue 41): acknowledged late, and handed on by Redis
after the visibility timeout, which no live task outlasts (else Redis would deliver it twice)."""

from celery import current_app
from django.conf import settings


def test_the_visibility_timeout_outlasts_every_task():
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    timeout = options["visibility_timeout"]
    assert timeout == settings.CELERY_VISIBILITY_TIMEOUT == 3600  # the default (the cluster sets seconds)
    longest = max(
        task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        for name, task in current_app.tasks.items()
        if not name.startswith("celery.")
    )
    assert longest <= timeout, longest
    # Every worker looks for a dead worker's tasks often enough that the timeout is what they wait.
    assert options["unacked_restore_throttle"] == 1 and 1 <= options["unacked_restore_interval"] <= 10


def test_the_batch_task_is_acknowledged_only_when_done():
    task = current_app.tasks["certificates.run_batch"]
    assert task.acks_late and task.reject_on_worker_lost
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1  # no second task waits behind a running one
