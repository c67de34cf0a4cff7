"""Celery tasks of the certification app: idempotent, with time limits, safe to run twice.

- ``send_email_notice``: sends one EmailNotice once (claimed with a conditional UPDATE).
- ``check_result_clocks``: daily; for every plan whose running clock (report / verify / upload, seed 001
  第十六条(三)) is past its due date, e-mails the side that owes the step, once per clock and due date.
"""

import logging
from datetime import date

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, roles
from portal.models import User

from .constants import Clock, State
from .models import AssessmentPlan, EmailNotice

log = logging.getLogger(__name__)


@shared_task(name="certification.send_email_notice", time_limit=60, soft_time_limit=45)
def send_email_notice(notice_id: int) -> bool:
    claimed = EmailNotice.objects.filter(pk=notice_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return False
    notice = EmailNotice.objects.get(pk=notice_id)
    try:
        send_mail(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [notice.to])
    except Exception:
        EmailNotice.objects.filter(pk=notice_id).update(sent_at=None)  # a retry sends it
        raise
    return True


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
                if EmailNotice.objects.filter(key=key[:120]).exists():
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
                        "url": plan_url(plan),
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


def check_review_clocks(on: date) -> int:
    """Comprehensive reviews not decided one month after the materials arrived (seed 002 五(一)): one
    e-mail per centre user, candidate and due date."""
    from .models import Candidate
    from .workflow import plan_url, queue_email

    created = 0
    waiting = Candidate.objects.filter(review_materials_on__isnull=False, level__in=[1, 2]).exclude(
        reviews__passed__isnull=False
    )
    for candidate in waiting.select_related("plan").iterator():
        due = candidate.review_due
        if due is None or on <= due:
            continue
        label = Clock.REVIEW.label
        for user in User.objects.filter(groups__name=roles.CENTRE, is_active=True).exclude(email=""):
            key = f"overdue-review-{candidate.pk}-{due.isoformat()}-{user.email}"
            if EmailNotice.objects.filter(key=key[:120]).exists():
                continue
            with transaction.atomic():
                queue_email(
                    key,
                    candidate.plan,
                    user.email,
                    _("【技能认定门户】%(clock)s已超期：认定方案 %(ref)s")
                    % {"clock": label, "ref": candidate.plan.reference},
                    _("认定方案 %(ref)s（%(title)s）的%(clock)s时限为 %(due)s，现已超期，请尽快办理：%(url)s")
                    % {
                        "ref": candidate.plan.reference,
                        "title": candidate.plan.title,
                        "clock": label,
                        "due": due.isoformat(),
                        "url": plan_url(candidate.plan),
                    }
                    + "\n",
                )
            created += 1
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
