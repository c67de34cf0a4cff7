"""Reminders of certification (issue 39 item 1), run once a day by the beat task
``certification.send_reminders`` (certification/tasks.py, certification/schedule.py):

- an expert's qualification (高级考评员) ending within ``EXPERT_QUALIFICATION_REMINDER_DAYS``: the expert
  and the centre, once per qualification and expiry date (a renewed qualification has a new date, so its
  own reminder); a lapsed one is out of the draw pool (workflow.expert_pool reads ``valid_until``);
- the monthly summary (seed 004 四(四)3, certification.monthly): each institution that has to report the
  month and has not, once per month, on the first run inside the reminder window
  (``MONTHLY_SUMMARY_REMINDER_DAYS`` before the due date through the due date);
- comprehensive reviews past their one-month limit (seed 002 五(一)): tasks.check_review_clocks, through
  :func:`once` as well.

Each reminder is a :class:`~certification.models.Reminder` row, unique per kind, object and step,
inserted first; the in-portal notices (portal.audit.notify) and the mails (portal.outbox) follow in the
same transaction. A second run, or a second worker at the same moment, fails on the row and sends
nothing (the pattern of filings' RenewalReminder). A run that missed days catches up once: anything due
and not yet recorded is sent on the next run."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from filings import institutions
from portal import audit, outbox, roles
from portal.links import absolute_url
from portal.models import User

from . import monthly, summary
from .constants import EXPERT_QUALIFICATION_REMINDER_DAYS, ReminderKind
from .models import ExpertQualification, MonthlySummary, Reminder


def once(kind: str, object_id: int, step, on: date, send) -> bool:
    """Records the reminder (kind, object, step) and calls ``send()`` in one transaction; False, and
    nothing sent, when it was recorded before (by an earlier run or a run at the same moment)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(kind=kind, object_id=object_id, step=str(step), sent_on=on)
            send()
    except IntegrityError:
        return False
    return True


def centre_staff():
    return User.objects.filter(groups__name=roles.CENTRE, is_active=True).distinct().order_by("pk")


def tell(users, key: str, text: str, url: str, subject: str, about) -> None:
    """A notice to each user and a mail to each with an address (key + address, once per key)."""
    body = text + "\n\n" + _("请登录技能认定门户办理：%(url)s") % {"url": absolute_url(url)} + "\n"
    for user in users:
        audit.notify(user, text, url)
        if user.email:
            outbox.queue(f"{key}-{user.email}", user.email, subject, body, about=about)


# -- experts' qualifications ---------------------------------------------------------------------------


def expiring_qualifications(on: date):
    """Qualifications of active experts whose last valid day is from ``on`` to
    EXPERT_QUALIFICATION_REMINDER_DAYS after it."""
    return (
        ExpertQualification.objects.filter(
            valid_until__gte=on,
            valid_until__lte=on + timedelta(days=EXPERT_QUALIFICATION_REMINDER_DAYS),
            expert__is_active=True,
        )
        .select_related("expert")
        .order_by("valid_until", "pk")
    )


def remind_qualification(qualification: ExpertQualification, on: date) -> bool:
    expert = qualification.expert
    values = {
        "expert": expert.get_full_name() or expert.username,
        "qualification": qualification.get_qualification_display(),
        "until": qualification.valid_until.isoformat(),
        "days": (qualification.valid_until - on).days,
    }
    subject = _("【技能认定门户】专家资格即将到期：%(expert)s %(qualification)s") % values

    def send():
        key = f"qualification-{qualification.pk}-{qualification.valid_until:%Y%m%d}"
        tell(
            [expert],
            key,
            _(
                "您的%(qualification)s资格有效期至 %(until)s，还有 %(days)s 天到期；到期后将不再被抽取为评审专家"
            )
            % values,
            reverse("certification:expert_reviews"),
            subject,
            qualification,
        )
        tell(
            centre_staff().exclude(pk=expert.pk),
            key,
            _("专家 %(expert)s 的%(qualification)s资格有效期至 %(until)s，还有 %(days)s 天到期") % values,
            reverse("admin:certification_expertqualification_change", args=[qualification.pk]),
            subject,
            qualification,
        )

    return once(ReminderKind.QUALIFICATION, qualification.pk, qualification.valid_until.isoformat(), on, send)


def send_qualification_reminders(on: date) -> int:
    return sum(1 for q in list(expiring_qualifications(on)) if remind_qualification(q, on))


# -- the monthly summary (seed 004 四(四)3) ---------------------------------------------------------------


def months_in_window(on: date) -> list[date]:
    """The months whose reminder window (monthly.reminder_from to monthly.due_date) holds ``on``."""
    this = monthly.first_day(on)
    last = monthly.first_day(this - timedelta(days=1))
    return [m for m in (last, this) if monthly.reminder_from(m) <= on <= monthly.due_date(m)]


def not_submitted(month: date):
    """The institutions that have to report ``month`` (a filing in force during it) and have not."""
    start, end = summary.month_bounds(month)
    submitted = MonthlySummary.objects.filter(month=month).values("institution_id")
    return institutions.filed_between(start, end - timedelta(days=1)).exclude(pk__in=submitted)


def remind_monthly(institution, month: date, on: date) -> bool:
    due = monthly.due_date(month)
    values = {"month": month.strftime("%Y-%m"), "due": due.isoformat(), "days": (due - on).days}

    def send():
        users = User.objects.filter(
            institution_id=institution.pk, is_active=True, groups__name=roles.APPLICANT
        ).distinct()
        tell(
            users,
            f"monthly-{institution.pk}-{month:%Y%m}",
            _("%(month)s 的职业技能等级认定结果汇总表须于 %(due)s 前报送，还有 %(days)s 天，尚未报送")
            % values,
            reverse("certification:monthly_month", args=[month.year, month.month]),
            _("【技能认定门户】请报送 %(month)s 的认定结果汇总表") % values,
            institution,
        )

    return once(ReminderKind.MONTHLY_SUMMARY, institution.pk, month.isoformat(), on, send)


def send_monthly_reminders(on: date) -> int:
    sent = 0
    for month in months_in_window(on):
        sent += sum(1 for i in list(not_submitted(month)) if remind_monthly(i, month, on))
    return sent


def run_daily(on: date) -> dict:
    return {
        "qualifications": send_qualification_reminders(on),
        "monthly_summaries": send_monthly_reminders(on),
    }
