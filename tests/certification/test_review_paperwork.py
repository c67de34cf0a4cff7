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


class TestPapers:
    """五(二)-(五): the review's papers as PDFs, read back."""

    def decided(self, candidate, carol, passed=True):
        workflow.record_materials(candidate, carol, D(2026, 6, 10), on=D(2026, 6, 10))
        review = workflow.draw_review(candidate, carol, on=D(2026, 6, 12), location="市鉴定中心三楼评审室")
        ids = list(review.panelists.values_list("expert_id", flat=True))
        extra = {}
        if candidate.level == 1:
            extra = {"thesis": "80", "defence": "70", "questions": ["问题一", "问题二", "问题三", "问题四"]}
        return workflow.record_review(
            review, carol, performance="80" if passed else "50", ticks=dict.fromkeys(ids, passed), **extra
        )

    def text(self, client, url) -> str:
        import io

        from pypdf import PdfReader

        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)

    def url(self, review, kind):
        c = review.candidate
        return reverse("certification:review_paper", args=[c.plan_id, c.pk, review.pk, kind])

    def test_a_passed_candidates_application_is_stamped(self, client, candidate, carol, alice):
        review = self.decided(candidate, carol, passed=True)
        client.force_login(alice)  # the unit collects its papers (五(五): 通知申报单位领取)
        text = self.text(client, self.url(review, "application"))
        assert candidate.name in text and "评审通过" in text and "市鉴定中心三楼评审室" in text
        scores = self.text(client, self.url(review, "scores"))
        assert "综合评审评分表" in scores and "80" in scores and "60" in scores
        assert client.get(self.url(review, "defence")).status_code == 404  # a 技师 writes no thesis

    def test_a_failed_candidates_application_carries_no_stamp(self, client, candidate, carol):
        review = self.decided(candidate, carol, passed=False)
        client.force_login(carol)
        text = self.text(client, self.url(review, "application"))
        assert candidate.name in text and "评审通过" not in text and "不通过" in text

    def test_a_senior_technicians_defence_sheet_and_the_list(self, client, candidate, carol, dave):
        senior = CandidateFactory(plan=candidate.plan, level=1, passed=True, name="高级技师甲")
        review = self.decided(senior, carol, passed=True)
        self.decided(candidate, carol, passed=False)
        client.force_login(dave)
        defence = self.text(client, self.url(review, "defence"))
        assert (
            "高级技师论文答辩评分表" in defence and "问题一" in defence and "74" in defence
        )  # 80×40%+70×60%
        listing = self.text(client, reverse("certification:review_list", args=[candidate.plan_id]))
        assert "高级技师甲" in listing and candidate.name in listing
        assert "通过" in listing and "不通过" in listing
