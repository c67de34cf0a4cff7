"""Celery tasks of the certification app: idempotent, with time limits, safe to run twice.

- ``send_email_notice``: the old name of the mail task (portal.outbox sends mail now), kept one release.
- ``send_reminders``: daily; experts' qualifications ending within 30 days and monthly summaries not
  yet submitted inside their reminder window (certification.reminders), once each.
- ``check_result_clocks``: daily; for every plan whose running clock (report / verify / upload, seed 001
  第十六条(三)) is past its due date, e-mails the side that owes the step, once per clock and due date;
  the same for comprehensive reviews past one month from the materials (seed 002 五(一)), to the centre.
"""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, outbox, roles
from portal.links import absolute_url
from portal.models import User

from . import reminders
from .constants import Clock, ReminderKind, State
from .models import AssessmentPlan

log = logging.getLogger(__name__)


@shared_task(name="certification.send_email_notice", time_limit=60, soft_time_limit=45)
def send_email_notice(notice_id: int) -> bool:
    """The old name of the mail task, kept for one release so that mails queued before the outbox
    (portal.outbox) still leave: ``notice_id`` is the row of the old certification table."""
    return outbox.send_legacy("certification", notice_id)


def _owners(plan, clock):
    """Who owes the step: the institution reports; the centre verifies and uploads."""
    if clock == Clock.REPORT:
        return User.objects.filter(
            institution_id=plan.institution_id, is_active=True, groups__name=roles.APPLICANT
        )
    return User.objects.filter(groups__name=roles.CENTRE, is_active=True)


def overdue_plans(on: date):
    """(plan, clock, deadline) for every running clock past its due date on ``on``."""
    running = AssessmentPlan.objects.filter(
        state__in=[State.APPROVED, State.IN_PROGRESS, State.RESULTS_REPORTED, State.VERIFIED], end_date__lt=on
    ).select_related("institution")
    for plan in running.iterator():
        clock, deadline = plan.clock()
        if clock and on > deadline.date:
            yield plan, clock, deadline


def check_clocks(on: date) -> int:
    """Queues one e-mail per owner, plan, clock and due date; returns how many were new."""
    from .workflow import plan_url, queue_email

    created = 0
    for plan, clock, deadline in overdue_plans(on):
        with transaction.atomic():
            new = 0
            for user in _owners(plan, clock):
                if not user.email:
                    continue
                key = f"overdue-{plan.pk}-{clock}-{deadline.date.isoformat()}-{user.email}"
                if outbox.already_queued(key):
                    continue
                label = Clock(clock).label
                queue_email(
                    key,
                    plan,
                    user.email,
                    _("【技能认定门户】%(clock)s已超期：认定方案 %(ref)s")
                    % {"clock": label, "ref": plan.reference},
                    _("认定方案 %(ref)s（%(title)s）的%(clock)s时限为 %(due)s，现已超期，请尽快办理：%(url)s")
                    % {
                        "ref": plan.reference,
                        "title": plan.title,
                        "clock": label,
                        "due": str(deadline),
                        "url": absolute_url(plan_url(plan)),
                    }
                    + "\n",
                )
                audit.notify(
                    user,
                    _("%(clock)s已超期：认定方案 %(ref)s") % {"clock": label, "ref": plan.reference},
                    plan_url(plan),
                )
                new += 1
            created += new
            if new:
                audit.record(
                    "certification_clock_overdue",
                    plan,
                    None,
                    internal=True,
                    clock=clock,
                    due=deadline.date.isoformat(),
                )
    return created


def start_due_plans(on: date) -> int:
    """Approved plans whose start date has come are in progress (实施中)."""
    from . import workflow

    started = 0
    for plan in AssessmentPlan.objects.filter(state=State.APPROVED, start_date__lte=on):
        try:
            workflow.begin(plan, workflow.SYSTEM)
            started += 1
        except workflow.WorkflowError as error:
            log.info("plan %s not started: %s", plan.pk, error)
    return started


def overdue_reviews(on: date):
    """Candidates whose comprehensive review is still undecided past its one-month limit on ``on``: the
    limit counts from the materials of the attempt awaiting a decision (seed 002 综合评审工作流程 五(一));
    the date is cleared when the review is decided, so only running clocks are looked at."""
    from .models import Candidate
    from .rules import latest_materials_due_by

    # overdue means due < on, i.e. due <= the day before: one indexed comparison on the materials date.
    cutoff = latest_materials_due_by(on - timedelta(days=1))
    return Candidate.objects.filter(review_materials_on__lte=cutoff).select_related("plan")


def check_review_clocks(on: date) -> int:
    """One e-mail and one in-portal notice per centre user, candidate and due date (a retry after a failed
    review has its own materials date, so its own due date and its own reminder), once: a Reminder row
    (certification.reminders.once) is written first."""
    from .workflow import queue_email

    created = 0
    label = Clock.REVIEW.label
    centre = list(User.objects.filter(groups__name=roles.CENTRE, is_active=True).exclude(email=""))
    for candidate in overdue_reviews(on).iterator():
        due = candidate.review_due
        url = reverse("certification:candidate", args=[candidate.plan_id, candidate.pk])
        queued = []

        def send(candidate=candidate, due=due, url=url, queued=queued):
            for user in centre:
                key = f"overdue-review-{candidate.pk}-{due.isoformat()}-{user.email}"
                if outbox.already_queued(key):
                    continue
                queue_email(
                    key,
                    candidate.plan,
                    user.email,
                    _("【技能认定门户】%(clock)s已超期：认定方案 %(ref)s 考生 %(name)s")
                    % {"clock": label, "ref": candidate.plan.reference, "name": candidate.name},
                    _(
                        "认定方案 %(ref)s（%(title)s）考生 %(name)s 的综合评审材料于 %(received)s 收到，"
                        "须于 %(due)s 前完成综合评审，现已超期，请尽快办理：%(url)s"
                    )
                    % {
                        "ref": candidate.plan.reference,
                        "title": candidate.plan.title,
                        "name": candidate.name,
                        "received": candidate.review_materials_on.isoformat(),
                        "due": due.isoformat(),
                        "url": absolute_url(url),
                    }
                    + "\n",
                )
                audit.notify(
                    user,
                    _("%(clock)s已超期：%(ref)s 考生 %(name)s")
                    % {"clock": label, "ref": candidate.plan.reference, "name": candidate.name},
                    url,
                )
                queued.append(user.pk)
            if queued:
                audit.record(
                    "certification_clock_overdue",
                    candidate.plan,
                    None,
                    internal=True,
                    clock=Clock.REVIEW.value,
                    candidate=candidate.pk,
                    due=due.isoformat(),
                )

        # Once per candidate and due date (a Reminder row first), even when two workers run this at once.
        if reminders.once(ReminderKind.REVIEW_OVERDUE, candidate.pk, due.isoformat(), on, send):
            created += len(queued)
    return created


@shared_task(name="certification.check_result_clocks", time_limit=300, soft_time_limit=240)
def check_result_clocks(on: str | None = None) -> int:
    """Daily: starts the plans due to start, then e-mails about overdue clocks. Returns the number of
    overdue e-mails queued."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    start_due_plans(day)
    created = check_clocks(day) + check_review_clocks(day)
    log.info("certification clocks checked on %s: %s overdue e-mails queued", day, created)
    return created


@shared_task(name="certification.send_reminders", time_limit=300, soft_time_limit=240)
def send_reminders(on: str | None = None) -> dict:
    """Daily: the reminders of certification.reminders, each sent once (safe to run twice, or on two
    workers at once). Returns how many of each kind were sent."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    sent = reminders.run_daily(day)
    log.info("certification reminders on %s: %s", day, sent)
    return sent
