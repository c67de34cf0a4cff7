"""The centre's one-month limit for a comprehensive review counts from the day it received the
materials (seed 002 综合评审工作流程 五(一): 市鉴定中心在收到材料后1个月内完成综合评审工作), a calendar
month; a retry after a failed review gets its own clock; the daily task flags overdue ones."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from certification import rules, tasks, workflow
from certification.constants import REVIEW_MONTHS
from certification.models import Candidate
from portal.models import OutboxMail
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution, qualified_expert

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def candidate(alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[2])
    for _i in range(3):
        qualified_expert()
    return CandidateFactory(plan=plan, level=2, passed=True)


def overdue_mails(candidate):
    return OutboxMail.objects.filter(key__startswith=f"overdue-review-{candidate.pk}-").count()


def decide(review, carol, passed):
    ids = list(review.panelists.values_list("expert_id", flat=True))
    return workflow.record_review(
        review, carol, performance="80" if passed else "50", ticks=dict.fromkeys(ids, passed)
    )


def test_the_limit_is_one_calendar_month():
    assert REVIEW_MONTHS == 1
    assert rules.review_due(D(2026, 6, 10)) == D(2026, 7, 10)
    assert rules.review_due(D(2027, 1, 31)) == D(2027, 2, 28)  # no 31 February: its last day
    assert rules.review_due(D(2028, 1, 30)) == D(2028, 2, 29)


@pytest.mark.parametrize(
    "day", [D(2026, 7, 10), D(2026, 3, 31), D(2027, 2, 28), D(2028, 2, 29), D(2026, 1, 1)]
)
def test_latest_materials_due_by(day):
    latest = rules.latest_materials_due_by(day)
    assert rules.review_due(latest) <= day
    assert rules.review_due(latest + datetime.timedelta(days=1)) > day


def test_the_panel_is_drawn_only_after_the_materials_are_recorded(candidate, carol):
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.draw_review(candidate, carol, on=D(2026, 6, 12))
    assert "材料" in str(refused.value)
    workflow.record_materials(candidate, carol, D(2026, 6, 10), on=D(2026, 6, 10))
    review = workflow.draw_review(candidate, carol, on=D(2026, 6, 12))
    assert review.materials_received_on == D(2026, 6, 10) and review.due == D(2026, 7, 10)


def test_materials_date_checks(candidate, alice, carol):
    with pytest.raises(workflow.NotPermitted):
        workflow.record_materials(candidate, alice, D(2026, 6, 10), on=D(2026, 6, 10))
    with pytest.raises(workflow.WorkflowError, match="不能晚于今天"):
        workflow.record_materials(candidate, carol, D(2026, 6, 11), on=D(2026, 6, 10))
    with pytest.raises(workflow.WorkflowError, match="不能早于认定开始日期"):
        workflow.record_materials(candidate, carol, D(2026, 5, 31), on=D(2026, 6, 10))
    failed_exam = CandidateFactory(plan=candidate.plan, level=2, theory_score=59, practical_score=80)
    with pytest.raises(workflow.WorkflowError):
        workflow.record_materials(failed_exam, carol, D(2026, 6, 10), on=D(2026, 6, 10))
    workflow.record_materials(candidate, carol, D(2026, 6, 9), on=D(2026, 6, 10))
    workflow.record_materials(
        candidate, carol, D(2026, 6, 10), on=D(2026, 6, 10)
    )  # corrected before the draw
    assert Candidate.objects.get(pk=candidate.pk).review_materials_on == D(2026, 6, 10)
    workflow.draw_review(candidate, carol, on=D(2026, 6, 12))
    with pytest.raises(workflow.WorkflowError, match="已抽取评审专家"):
        workflow.record_materials(candidate, carol, D(2026, 6, 11), on=D(2026, 6, 12))


def test_daily_task_flags_the_day_after_the_due_date_once(candidate, carol):
    workflow.record_materials(candidate, carol, D(2026, 6, 10), on=D(2026, 6, 10))
    assert tasks.check_review_clocks(D(2026, 7, 10)) == 0  # due today: not overdue
    assert tasks.check_review_clocks(D(2026, 7, 11)) == 1  # the day after
    assert tasks.check_review_clocks(D(2026, 7, 12)) == 0  # once per due date
    assert overdue_mails(candidate) == 1
    assert carol.notifications.filter(text__contains="综合评审已超期").exists()


def test_end_of_month_boundary_through_the_task(candidate, carol):
    candidate.plan.start_date = D(2027, 1, 4)
    candidate.plan.save()
    workflow.record_materials(candidate, carol, D(2027, 1, 31), on=D(2027, 1, 31))
    assert tasks.check_review_clocks(D(2027, 2, 28)) == 0
    assert tasks.check_review_clocks(D(2027, 3, 1)) == 1


def test_a_decided_review_stops_the_clock(candidate, carol):
    workflow.record_materials(candidate, carol, D(2026, 6, 10), on=D(2026, 6, 10))
    decide(workflow.draw_review(candidate, carol, on=D(2026, 6, 12)), carol, passed=True)
    candidate.refresh_from_db()
    assert candidate.review_materials_on is None
    assert tasks.check_review_clocks(D(2026, 8, 1)) == 0


def test_a_retry_gets_its_own_clock(candidate, carol):
    workflow.record_materials(candidate, carol, D(2026, 6, 10), on=D(2026, 6, 10))
    first = decide(workflow.draw_review(candidate, carol, on=D(2026, 6, 12)), carol, passed=False)
    # After the failed review no clock runs until the retry's materials arrive.
    assert tasks.check_review_clocks(D(2026, 9, 1)) == 0
    workflow.record_materials(candidate, carol, D(2026, 9, 1), on=D(2026, 9, 1))
    candidate.refresh_from_db()
    assert candidate.review_due == D(2026, 10, 1)
    retry = workflow.draw_review(candidate, carol, on=D(2026, 9, 3))
    assert (retry.attempt, retry.materials_received_on, retry.due) == (2, D(2026, 9, 1), D(2026, 10, 1))
    first.refresh_from_db()
    assert first.materials_received_on == D(2026, 6, 10)  # the first attempt keeps its own date
    assert tasks.check_review_clocks(D(2026, 10, 1)) == 0
    assert tasks.check_review_clocks(D(2026, 10, 2)) == 1


def test_a_retry_after_the_year_is_refused_at_the_materials(candidate, carol):
    workflow.record_materials(candidate, carol, D(2026, 6, 10), on=D(2026, 6, 10))
    decide(workflow.draw_review(candidate, carol, on=D(2026, 6, 12)), carol, passed=False)
    with pytest.raises(workflow.WorkflowError, match="一年内"):
        workflow.record_materials(candidate, carol, D(2027, 6, 13), on=D(2027, 6, 13))


class TestPages:
    def url(self, candidate):
        return reverse("certification:review_materials", args=[candidate.plan_id, candidate.pk])

    def test_centre_records_the_materials_on_the_candidate_page(self, client, candidate, alice, carol):
        page = reverse("certification:candidate", args=[candidate.plan_id, candidate.pk])
        client.force_login(alice)
        assert client.post(self.url(candidate), {"received_on": "2026-06-10"}).status_code == 404
        client.force_login(carol)
        assert 'data-testid="materials-form"' in client.get(page).content.decode()
        assert 'data-testid="draw"' not in client.get(page).content.decode()
        assert client.get(self.url(candidate))["Location"] == page  # a stray GET: back to the page
        with time_machine.travel(datetime.datetime(2026, 7, 11, 9), tick=False):
            response = client.post(self.url(candidate), {"received_on": "2026-06-10"}, follow=True)
            text = response.content.decode()
        assert "2026-07-10" in text and "已超期" in text and 'data-testid="draw"' in text
        assert Candidate.objects.get(pk=candidate.pk).review_materials_on == D(2026, 6, 10)
        bad = client.post(self.url(candidate), {"received_on": "10/06"}, follow=True).content.decode()
        assert "日期格式应为 YYYY-MM-DD" in bad

    def test_queue_shows_due_dates_and_filters_overdue(
        self, client, candidate, alice, carol, dave, django_assert_max_num_queries
    ):
        plan = candidate.plan
        workflow.record_materials(candidate, carol, D(2026, 6, 10), on=D(2026, 6, 10))
        late = CandidateFactory(plan=plan, level=2, passed=True, name="晚到考生")
        workflow.record_materials(late, carol, D(2026, 7, 1), on=D(2026, 7, 1))
        CandidateFactory(
            plan=plan, level=2, passed=True, name="将到期考生", review_materials_on=D(2026, 6, 13)
        )
        for i in range(10):
            CandidateFactory(plan=plan, level=2, passed=True, review_materials_on=D(2026, 7, 2 + i))
        url = reverse("certification:review_queue")
        client.force_login(alice)
        assert client.get(url).status_code == 404
        client.force_login(dave)  # the bureau reads the queue
        assert client.get(url).status_code == 200
        client.force_login(carol)
        with time_machine.travel(datetime.datetime(2026, 7, 11, 9), tick=False):
            with django_assert_max_num_queries(12):
                text = client.get(url).content.decode()
            overdue = client.get(url, {"clock": "overdue"}).content.decode()
            soon = client.get(url, {"clock": "due_soon"}).content.decode()
        assert text.count('data-testid="review-row"') == 13
        assert "2026-07-10" in text and "row-overdue" in text
        assert overdue.count('data-testid="review-row"') == 1 and candidate.name in overdue
        assert soon.count('data-testid="review-row"') == 1 and "将到期考生" in soon  # due Monday 13 July
        assert client.get(url, {"q": "晚到"}).content.decode().count('data-testid="review-row"') == 1
