"""Queueing a Celery task by its registered name.

Business modules schedule slow work (a batch of certificates, a mail) without importing their app's
``tasks`` module: the tasks wrap the business modules, so the imports run one way (tasks -> rules).
Each app imports its tasks in ``AppConfig.ready()``, so every task is registered in every process (web,
worker, beat, tests); with ``CELERY_TASK_ALWAYS_EAGER`` the task runs in place, as ``delay`` does."""

from __future__ import annotations

from celery import current_app
from django.db import transaction


def enqueue(task_name: str, *args):
    """Sends the task now (returns its AsyncResult, or the EagerResult)."""
    return current_app.tasks[task_name].delay(*args)


def enqueue_after_commit(task_name: str, *args) -> None:
    """Sends the task once the current transaction commits (at once outside one): a state change and
    its side effects never disagree, and a rolled-back change sends nothing."""
    transaction.on_commit(lambda: enqueue(task_name, *args))
