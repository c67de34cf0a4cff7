"""Queueing a Celery task by its registered name.

Business modules schedule slow work (a batch of certificates, a mail) without importing their app's
``tasks`` module: the tasks wrap the business modules, so the imports run one way (tasks -> rules).
Each app imports its tasks in ``AppConfig.ready()``, so every task is registered in every process (web,
worker, beat, tests); with ``CELERY_TASK_ALWAYS_EAGER`` the task runs in place, as ``delay`` does."""

from __future__ import annotations

from dataclasses import dataclass

from celery import current_app
from django.db import transaction


def enqueue(task_name: str, *args):
    """Sends the task now (returns its AsyncResult, or the EagerResult)."""
    return current_app.tasks[task_name].delay(*args)


def enqueue_after_commit(task_name: str, *args) -> None:
    """Sends the task once the current transaction commits (at once outside one): a state change and
    its side effects never disagree, and a rolled-back change sends nothing."""
    transaction.on_commit(lambda: enqueue(task_name, *args))


# -- long work with a progress bar (issue 39 item 4) -------------------------------------------------------

RUN_JOB_TASK = "portal.run_job"
PROGRESS_EVERY = 200  # items between two progress writes: a 10,000-row roster writes 50 times
_RUNNERS: dict = {}


@dataclass(frozen=True)
class Outcome:
    """What a runner may return instead of ``(content, name)``: a line for the job's page (``message``: how
    many rows were imported, how many photos saved), and ``ok=False`` for work that was refused as a whole
    but has a file to show why (an all-or-nothing roster import with its list of row errors)."""

    content: bytes
    name: str
    message: str = ""
    ok: bool = True


def register_runner(kind: str, runner) -> None:
    """``runner(job, progress) -> (content bytes, file name) | Outcome``; ``progress(done, total=None)`` records
    how far it is; a PortalError fails the job with its message. Apps register theirs in AppConfig.ready."""
    _RUNNERS[kind] = runner


def start(
    kind: str, owner, title: str, source: bytes | None, source_name: str, *, back_url: str = "", **options
):
    """A job for ``owner`` with its input file, queued for the worker after commit; returns the Job.
    ``back_url``: the page the work belongs to (a plan, the export form), linked from the job's page as the
    next step once it is over."""
    from django.core.files.base import ContentFile

    from .models import Job
    from .uploads import random_name

    if kind not in _RUNNERS:
        raise KeyError(f"no runner for job kind {kind!r}")
    job = Job(owner=owner, kind=kind, title=title, options={**options, "back_url": back_url})
    if source is not None:  # an export has no input file, only its options
        job.source.save(random_name("jobs/in", source_name.rsplit(".", 1)[-1] or "bin").rsplit("/", 1)[-1],
                        ContentFile(source), save=False)  # fmt: skip
    job.save()
    enqueue_after_commit(RUN_JOB_TASK, str(job.pk))
    return job


def run(job_id: str) -> None:
    """The worker's side: runs the job's runner, recording progress, the result file or the failure."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from .errors import PortalError
    from .models import Job

    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_over:
        return
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)

    def progress(done: int, total: int | None = None) -> None:
        fields = {"done": done} if total is None else {"done": done, "total": total}
        Job.objects.filter(pk=job.pk).update(**fields)

    try:
        outcome = _RUNNERS[job.kind](job, progress)
    except PortalError as error:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=str(error), finished_at=timezone.now()
        )
        return
    except Exception:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            message="系统处理出错，请稍后重试或联系管理员。",
            finished_at=timezone.now(),
        )
        raise
    if not isinstance(outcome, Outcome):
        outcome = Outcome(*outcome)
    job.refresh_from_db()
    job.result.save(f"{job.pk}.{outcome.name.rsplit('.', 1)[-1]}", ContentFile(outcome.content), save=False)
    job.result_name = outcome.name
    job.message = outcome.message
    job.status = Job.Status.DONE if outcome.ok else Job.Status.FAILED
    if outcome.ok:
        job.done = job.total
    job.finished_at = timezone.now()
    job.save(update_fields=["result", "result_name", "message", "status", "done", "finished_at"])
