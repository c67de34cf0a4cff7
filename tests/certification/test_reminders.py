"""Issue 39 item 1: reminders of certification from the daily beat task ``certification.send_reminders``,
each a notice plus a mail, sent once per kind, object and step (a Reminder row written first): an
expert's qualification ending within EXPERT_QUALIFICATION_REMINDER_DAYS (the expert and the centre; a
lapsed one is not drawn), the monthly summary not yet submitted inside its reminder window, a
comprehensive review past its limit (to the centre). Once also when the task runs twice, when two
threads run it at the same moment, and when two real Celery workers run it."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from certification import monthly, reminders, tasks, workflow
from certification.constants import EXPERT_QUALIFICATION_REMINDER_DAYS, ReminderKind
from certification.models import Reminder
from portal.models import Notification, OutboxMail
from tests.certification.factories import (
    CandidateFactory,
    ExpertQualificationFactory,
    MonthlySummaryFactory,
    PlanFactory,
    filed_institution,
    qualified_expert,
)

pytestmark = pytest.mark.django_db

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
UNTIL = D(2027, 3, 31)


def task_on(day: D) -> dict:
    """The beat task as it runs on ``day``, Beijing time (no date given: it reads today's)."""
    moment = datetime.datetime(day.year, day.month, day.day, 8, 10, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        return tasks.send_reminders()


def days_before(n: int, until: D = UNTIL) -> D:
    return until - datetime.timedelta(days=n)


# -- experts' qualifications -------------------------------------------------------------------------


def test_the_window_is_issue_39s_30_days():
    assert EXPERT_QUALIFICATION_REMINDER_DAYS == 30


def test_qualification_reminded_from_day_30_once_to_the_expert_and_the_centre(carol):
    qualification = ExpertQualificationFactory(valid_until=UNTIL)
    expert = qualification.expert
    assert task_on(days_before(31))["qualifications"] == 0
    assert task_on(days_before(30))["qualifications"] == 1
    assert task_on(days_before(30))["qualifications"] == 0  # the task run twice the same day
    assert task_on(days_before(29))["qualifications"] == 0  # not again the day after
    assert task_on(UNTIL)["qualifications"] == 0
    row = Reminder.objects.get()
    assert (row.kind, row.object_id, row.step, row.sent_on) == (
        ReminderKind.QUALIFICATION,
        qualification.pk,
        UNTIL.isoformat(),
        days_before(30),
    )
    notice = Notification.objects.get(user=expert)
    assert "2027-03-31" in notice.text and "30 天" in notice.text and notice.url
    centre = Notification.objects.get(user=carol)
    assert expert.username in centre.text or (
        expert.get_full_name() and expert.get_full_name() in centre.text
    )
    assert centre.url == f"/admin/certification/expertqualification/{qualification.pk}/change/"
    mails = OutboxMail.objects.filter(key__startswith=f"qualification-{qualification.pk}-")
    assert sorted(mails.values_list("to", flat=True)) == sorted([expert.email, carol.email])


def test_a_late_run_catches_up_once_and_a_renewed_qualification_is_reminded_again(carol):
    qualification = ExpertQualificationFactory(valid_until=UNTIL)
    assert task_on(days_before(12))["qualifications"] == 1
    assert task_on(days_before(11))["qualifications"] == 0
    qualification.valid_until = D(2030, 3, 31)  # renewed: a new expiry, a new reminder in its window
    qualification.save()
    assert task_on(days_before(31, D(2030, 3, 31)))["qualifications"] == 0
    assert task_on(days_before(30, D(2030, 3, 31)))["qualifications"] == 1
    assert Reminder.objects.filter(kind=ReminderKind.QUALIFICATION).count() == 2


def test_an_inactive_expert_is_not_reminded():
    ExpertQualificationFactory(valid_until=UNTIL, expert__is_active=False)
    assert task_on(days_before(10))["qualifications"] == 0


def test_a_lapsed_expert_is_no_longer_drawn(alice):
    filed_institution(alice.institution)
    lapsing = qualified_expert(valid_until=UNTIL)
    assert lapsing.pk in workflow.expert_pool(alice.institution_id, UNTIL)  # its last valid day
    assert lapsing.pk not in workflow.expert_pool(alice.institution_id, UNTIL + datetime.timedelta(days=1))


# -- the monthly summary (seed 004 四(四)3) ---------------------------------------------------------------

JUNE = D(2026, 6, 1)


def test_monthly_summary_reminded_once_inside_the_window(alice, bob):
    filed_institution(alice.institution)
    filed_institution(bob.institution)
    MonthlySummaryFactory(institution=bob.institution, month=JUNE)  # bob's institution has reported
    first = monthly.reminder_from(JUNE)
    assert first == D(2026, 6, 25)
    assert task_on(first - datetime.timedelta(days=1))["monthly_summaries"] == 0
    assert task_on(first)["monthly_summaries"] == 1
    assert task_on(first)["monthly_summaries"] == 0
    assert task_on(D(2026, 6, 30))["monthly_summaries"] == 0  # once per month
    assert task_on(D(2026, 7, 1))["monthly_summaries"] == 0  # June overdue, July's window not open
    notice = Notification.objects.get(user=alice)
    assert "2026-06" in notice.text and notice.url == "/certification/monthly/2026/6/"
    assert not Notification.objects.filter(user=bob).exists()
    assert OutboxMail.objects.filter(to=alice.email, key__startswith="monthly-").count() == 1
    assert task_on(D(2026, 7, 26))["monthly_summaries"] == 2  # July's own, to both (neither reported July)


def test_a_month_submitted_before_its_window_is_not_reminded(alice):
    filed_institution(alice.institution)
    MonthlySummaryFactory(institution=alice.institution, month=JUNE)
    assert task_on(D(2026, 6, 28))["monthly_summaries"] == 0


# -- comprehensive reviews overdue -----------------------------------------------------------------------


@pytest.fixture
def candidate(alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[2])
    for _i in range(3):
        qualified_expert()
    return CandidateFactory(plan=plan, level=2, passed=True)


def test_an_overdue_review_is_told_to_the_centre_once(candidate, carol):
    workflow.record_materials(candidate, carol, D(2026, 6, 10), on=D(2026, 6, 10))
    assert tasks.check_review_clocks(D(2026, 7, 11)) == 1
    assert tasks.check_review_clocks(D(2026, 7, 11)) == 0
    Notification.objects.filter(user=carol).delete()
    OutboxMail.objects.all().delete()  # even without its mail, the Reminder row keeps it to once
    assert tasks.check_review_clocks(D(2026, 7, 12)) == 0
    assert not Notification.objects.filter(user=carol).exists()
    assert Reminder.objects.filter(kind=ReminderKind.REVIEW_OVERDUE, object_id=candidate.pk).count() == 1


# -- once, at the same moment --------------------------------------------------------------------------


def _many_due(alice, carol, experts=5):
    filed_institution(alice.institution)
    for _i in range(experts):
        ExpertQualificationFactory(valid_until=UNTIL)


def _counts():
    return (
        Reminder.objects.count(),
        Notification.objects.count(),
        OutboxMail.objects.count(),
    )


@pytest.mark.django_db(transaction=True)
def test_two_threads_at_the_same_moment_send_each_reminder_once(alice, carol):
    """Two runs started together against PostgreSQL: each Reminder insert of one waits for the other's
    and fails, so every reminder goes once; together the runs sent exactly what was due."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    _many_due(alice, carol)
    on = days_before(20)  # 2027-03-11: no monthly window open, only the qualifications are due
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        from django.db import connection as own

        try:
            start.wait(timeout=30)
            results.append(reminders.run_daily(on))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert sum(r["qualifications"] for r in results) == 5
    # 5 reminders; each a notice and a mail to the expert and to carol (the centre).
    assert _counts() == (5, 10, 10)


@pytest.mark.django_db(transaction=True)
def test_two_real_workers_running_the_task_at_once_send_each_reminder_once(alice, carol, celery_worker):
    from celery.result import allow_join_result

    from portal.celery import ping

    _many_due(alice, carol, experts=8)
    first = celery_worker.proc
    celery_worker.restart()  # a second worker on the same queue; the fixture stops it, this test the first
    try:
        with allow_join_result():
            assert ping.apply_async(queue=celery_worker.queue).get(timeout=60) == "pong"
            on = days_before(20).isoformat()
            runs = [tasks.send_reminders.delay(on) for _i in range(4)]
            results = [run.get(timeout=120) for run in runs]
    finally:
        first.terminate()
        first.wait(timeout=30)
    assert sum(r["qualifications"] for r in results) == 8
    assert _counts() == (8, 16, 16)


def test_the_beat_runs_the_task_daily_and_the_admin_shows_the_rows(client, django_user_model):
    from django.conf import settings

    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["certification-reminders"]
    assert entry["task"] == "certification.send_reminders" and entry["task"] in app.tasks
    assert entry["schedule"].hour == {8}
    ExpertQualificationFactory(valid_until=UNTIL)
    task_on(days_before(30))
    client.force_login(
        django_user_model.objects.create_superuser("root", "root@example.org", "pw-secret-123")
    )
    page = client.get("/admin/certification/reminder/")
    assert page.status_code == 200 and UNTIL.isoformat() in page.content.decode()
    assert client.get("/admin/certification/reminder/add/").status_code == 403
