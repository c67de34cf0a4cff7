"""The daily task: the three result clocks (seed 001 第十六条(三)), overdue -> e-mail, once."""

import datetime

import pytest

from certification import tasks
from portal import outbox
from portal import tasks as portal_tasks
from portal.models import OutboxMail
from tests.certification.factories import PlanFactory, filed_institution, qualified_expert


@pytest.fixture
def plans(alice, carol):
    filed_institution(alice.institution)
    # Ends Wednesday 3 June 2026: report due Wednesday 10 June.
    report = PlanFactory(institution=alice.institution, approved=True, end_date=datetime.date(2026, 6, 3))
    # Reported Friday 5 June: verification due Friday 12 June.
    verify = PlanFactory(institution=alice.institution, reported=True, end_date=datetime.date(2026, 6, 3))
    # Verified Tuesday 9 June: upload due 10 working days later, Wednesday 24 June (19 June is 端午节).
    upload = PlanFactory(institution=alice.institution, verified=True, end_date=datetime.date(2026, 6, 3))
    return report, verify, upload


def sent_to(plan):
    return sorted(outbox.about(plan).filter(key__startswith="overdue").values_list("to", flat=True))


@pytest.mark.django_db
def test_report_clock(plans, alice):
    report, verify, upload = plans
    assert tasks.check_clocks(datetime.date(2026, 6, 10)) == 0  # due today: not overdue
    assert tasks.check_clocks(datetime.date(2026, 6, 11)) == 1  # the day after
    assert sent_to(report) == [alice.email]
    assert tasks.check_clocks(datetime.date(2026, 6, 11)) == 0  # idempotent
    assert alice.notifications.filter(text__contains="结果上报已超期").exists()


@pytest.mark.django_db
def test_verify_clock(plans, carol):
    report, verify, upload = plans
    tasks.check_clocks(datetime.date(2026, 6, 12))
    assert sent_to(verify) == []
    tasks.check_clocks(datetime.date(2026, 6, 13))
    assert sent_to(verify) == [carol.email]


@pytest.mark.django_db
def test_upload_clock(plans, carol):
    report, verify, upload = plans
    due = upload.clock()[1]
    assert due.date == datetime.date(2026, 6, 24)
    tasks.check_clocks(due.date)
    assert sent_to(upload) == []
    tasks.check_clocks(due.date + datetime.timedelta(days=1))
    assert sent_to(upload) == [carol.email]


@pytest.mark.django_db
def test_email_sent_once(plans, alice, mailoutbox):
    tasks.check_clocks(datetime.date(2026, 6, 11))
    notice = outbox.about(plans[0]).get(key__startswith="overdue")
    # In a db test on_commit never fires, so nothing has sent it yet: the first call sends, the second not.
    assert portal_tasks.send_mail_task(notice.pk) is True
    assert portal_tasks.send_mail_task(notice.pk) is False
    assert len([m for m in mailoutbox if "结果上报" in m.subject]) == 1


def test_through_a_real_worker(celery_worker, alice, carol):
    from tests.certification.factories import CandidateFactory

    report, _verify, _upload = _make(alice)
    # A comprehensive review whose materials arrived on 8 May 2026: due 8 June, overdue on 11 June.
    waiting = CandidateFactory(
        plan=report, level=2, passed=True, review_materials_on=datetime.date(2026, 5, 8)
    )
    result = tasks.check_result_clocks.delay("2026-06-11")
    assert result.get(timeout=60) >= 2
    assert outbox.about(report).filter(key__startswith="overdue-").count() == 2
    review_mail = OutboxMail.objects.get(key__startswith=f"overdue-review-{waiting.pk}-2026-06-08")
    assert review_mail.to == carol.email and waiting.name in review_mail.subject
    assert tasks.check_result_clocks.delay("2026-06-11").get(timeout=60) == 0


def _make(alice):
    filed_institution(alice.institution)
    return (
        PlanFactory(institution=alice.institution, approved=True, end_date=datetime.date(2026, 6, 3)),
        None,
        None,
    )


@pytest.mark.django_db
def test_approved_plans_start_on_their_start_date(alice):
    from certification.constants import State

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True, start_date=datetime.date(2026, 6, 1))
    tasks.start_due_plans(datetime.date(2026, 5, 31))
    plan.refresh_from_db()
    assert plan.state == State.APPROVED
    tasks.start_due_plans(datetime.date(2026, 6, 1))
    plan.refresh_from_db()
    assert plan.state == State.IN_PROGRESS
    assert tasks.start_due_plans(datetime.date(2026, 6, 1)) == 0


@pytest.mark.django_db
def test_review_one_month_clock(alice, carol):
    from certification import workflow
    from tests.certification.factories import CandidateFactory

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[2])
    candidate = CandidateFactory(plan=plan, level=2, passed=True)
    for _i in range(3):
        qualified_expert()
    workflow.record_materials(candidate, carol, datetime.date(2026, 6, 10), on=datetime.date(2026, 6, 10))
    workflow.draw_review(candidate, carol, on=datetime.date(2026, 6, 12))
    assert tasks.check_review_clocks(datetime.date(2026, 7, 10)) == 0
    assert tasks.check_review_clocks(datetime.date(2026, 7, 11)) == 1
    assert tasks.check_review_clocks(datetime.date(2026, 7, 11)) == 0
