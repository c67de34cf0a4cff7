"""The unit's one-week limit for the comprehensive review materials and the review's place (issue 38
item 4): 《天津市技师、高级技师综合评审工作流程》五(一) (申报单位于理论和操作鉴定结束后一周内，将申报材料报送
市鉴定中心) and 三 (评审地点由市鉴定中心统一指定)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from certification import rules, workflow
from certification.constants import MATERIALS_SUBMIT_DAYS
from certification.models import ComprehensiveReview
from portal.models import AuditEvent
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution, qualified_expert

pytestmark = pytest.mark.django_db

D = datetime.date
EXAMS_END = D(2026, 6, 3)  # the factory plan's end date


@pytest.fixture
def candidate(alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[2])
    for _i in range(3):
        qualified_expert()
    return CandidateFactory(plan=plan, level=2, passed=True)


def test_the_week_is_seven_calendar_days_after_the_exams():
    assert MATERIALS_SUBMIT_DAYS == 7
    assert rules.materials_submission_due(EXAMS_END) == D(2026, 6, 10)


@pytest.mark.parametrize("days, late", [(6, 0), (7, 0), (8, 1)])
def test_materials_received_six_seven_or_eight_days_after_the_exams(days, late):
    """综合评审工作流程 五(一): just under, at and just over the one-week limit."""
    assert rules.materials_days_late(EXAMS_END + datetime.timedelta(days=days), EXAMS_END) == late


def test_the_candidate_knows_its_limit_and_lateness(candidate, carol):
    assert candidate.plan.end_date == EXAMS_END
    assert candidate.materials_submission_due == D(2026, 6, 10)
    assert candidate.materials_days_late == 0  # nothing recorded yet
    workflow.record_materials(candidate, carol, D(2026, 6, 12), on=D(2026, 6, 12))
    candidate.refresh_from_db()
    assert candidate.materials_days_late == 2
    below = CandidateFactory(plan=candidate.plan, level=3, passed=True)
    assert below.materials_submission_due is None  # 高级工 takes no comprehensive review


class TestCandidatePage:
    def page(self, candidate):
        return reverse("certification:candidate", args=[candidate.plan_id, candidate.pk])

    @pytest.mark.parametrize("today, overdue", [(D(2026, 6, 10), False), (D(2026, 6, 11), True)])
    def test_outstanding_materials_are_marked_once_the_week_is_over(
        self, client, candidate, carol, today, overdue
    ):
        client.force_login(carol)
        with time_machine.travel(datetime.datetime(today.year, today.month, today.day, 2), tick=False):
            text = client.get(self.page(candidate)).content.decode()
        assert "2026-06-10 前" in text and "《天津市技师、高级技师综合评审工作流程》五(一)" in text
        assert ('data-testid="materials-overdue"' in text) is overdue

    def test_late_materials_carry_their_days(self, client, candidate, carol, alice):
        workflow.record_materials(candidate, carol, D(2026, 6, 11), on=D(2026, 6, 11))
        client.force_login(alice)  # the unit sees it too
        text = client.get(self.page(candidate)).content.decode()
        assert 'data-testid="materials-late"' in text and "逾期 1 天报送" in text

    def test_the_panel_is_drawn_at_the_place_the_centre_names(self, client, candidate, carol):
        workflow.record_materials(candidate, carol, D(2026, 6, 10), on=D(2026, 6, 10))
        url = reverse("certification:review_draw", args=[candidate.plan_id, candidate.pk])
        client.force_login(carol)
        with time_machine.travel(datetime.datetime(2026, 6, 12, 2), tick=False):
            assert 'data-testid="draw-form"' in client.get(self.page(candidate)).content.decode()
            refused = client.post(url, {"location": "  "}, follow=True).content.decode()
            assert "请填写市鉴定中心指定的评审地点" in refused
            assert not ComprehensiveReview.objects.exists()
            text = client.post(url, {"location": "市鉴定中心三楼评审室"}, follow=True).content.decode()
        review = ComprehensiveReview.objects.get()
        assert review.location == "市鉴定中心三楼评审室"
        assert 'data-testid="review-location"' in text and "市鉴定中心三楼评审室" in text
        assert (
            AuditEvent.objects.get(event="certification_review_drawn").data["location"]
            == "市鉴定中心三楼评审室"
        )
