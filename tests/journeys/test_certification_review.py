"""In a real Chromium: the centre draws a panel for a senior technician and records the thesis defence,
the performance review and the experts' ticks, after recording the day the materials arrived."""

from pathlib import Path

import pytest

from portal import roles
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution, qualified_expert
from tests.journeys.test_certification_plan_to_summary import login
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_centre_runs_a_comprehensive_review(live_server, browser):
    UserFactory(username="centre2", role=roles.CENTRE)
    experts = [qualified_expert(first_name=f"专家{i}") for i in range(4)]
    institution = filed_institution()
    plan = PlanFactory(institution=institution, approved=True, levels=[1])
    candidate = CandidateFactory(plan=plan, level=1, name="高技甲", theory_score=75, practical_score=80)

    page = login(browser, live_server, "centre2")
    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/candidates/{candidate.pk}/")
    assert page.get_by_test_id("draw").count() == 0  # the materials come first (seed 002 五(一))
    page.fill("input[name=received_on]", "2026-06-08")
    with page.expect_navigation():
        page.get_by_test_id("record-materials").click()
    assert page.get_by_text("综合评审须于 2026-07-08 前完成").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "certification-6-materials.png"), full_page=True)
    page.goto(f"{live_server.url}/certification/review-queue/")
    assert page.get_by_test_id("review-row").count() == 1
    assert "2026-07-08" in page.get_by_test_id("review-queue").inner_text()
    page.screenshot(path=str(ARTIFACTS / "certification-7-review-queue.png"), full_page=True)
    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/candidates/{candidate.pk}/")
    # the centre names the review's place as it draws the panel (综合评审工作流程 三)
    page.fill("#review-location", "市鉴定中心三楼评审室")
    with page.expect_navigation():
        page.get_by_test_id("draw").click()
    assert page.get_by_text("已随机抽取 3 名评审专家").is_visible()
    assert "市鉴定中心三楼评审室" in page.get_by_test_id("review-location").inner_text()
    page.fill("input[name=thesis]", "70")
    page.fill("input[name=defence]", "55")  # 28 + 33 = 61 >= 60
    page.fill("textarea[name=questions]", "问题一\n问题二\n问题三\n问题四\n问题五")
    page.fill("input[name=performance]", "66")
    selects = page.locator("select[name^=tick_]")
    assert selects.count() == 3
    for i, value in enumerate(["1", "1", "0"]):
        selects.nth(i).select_option(value)
    with page.expect_navigation():
        page.get_by_role("button", name="评定").click()
    assert page.get_by_text("综合评审结果：通过。").is_visible()
    assert page.get_by_test_id("outcome").inner_text() == "合格"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "certification-5-review.png"), full_page=True)
    assert len(experts) == 4
