"""In a real Chromium (issue 29 items 5 and 6): an address that only takes a form's POST, opened by
URL, pasted or reloaded, shows the object's page with a Chinese message instead of the browser's
blank English "HTTP ERROR 405"; a technician's review section is where it applies only; a revoked
institution is not offered 新建认定方案."""

from pathlib import Path

import pytest

from filings import after_filing
from filings.constants import State as FilingState
from filings.models import Filing
from portal import roles
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
STRAY_GET = "该操作需要在页面上点击按钮提交，已为您打开相关页面。"


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def test_opening_a_post_only_address_shows_the_objects_page(live_server, page):
    UserFactory(username="centre-stray", role=roles.CENTRE)
    plan = PlanFactory(institution=filed_institution(), submitted=True, staffed=True, title="焊工认定")
    technician = CandidateFactory(plan=plan, level=2, name="技师甲", theory_score=80, practical_score=80)
    beginner = CandidateFactory(plan=plan, level=5, name="初级乙", theory_score=80, practical_score=80)
    log_in(page, live_server, "centre-stray")

    # the approve button's address, typed in: the plan page, still submitted, with the message
    response = page.goto(f"{live_server.url}/certification/plans/{plan.pk}/approve/")
    assert response.status == 200
    assert page.url.endswith(f"/certification/plans/{plan.pk}/")
    assert page.get_by_text(STRAY_GET).is_visible()
    assert "焊工认定" in page.content() and "HTTP ERROR" not in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stray-get-plan.png"), full_page=True)
    page.reload()  # and reloading the page it led to is an ordinary page
    assert page.get_by_text(STRAY_GET).count() == 0

    # a candidate's action: the candidate's page; a technician has the review section, level 5 not
    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/candidates/{technician.pk}/review/")
    assert page.url.endswith(f"/candidates/{technician.pk}/")
    assert page.get_by_text(STRAY_GET).is_visible()
    assert page.get_by_test_id("review-section").is_visible()
    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/candidates/{beginner.pk}/")
    assert page.get_by_test_id("review-section").count() == 0
    assert page.get_by_role("heading", name="综合评审").count() == 0

    plan.refresh_from_db()
    assert plan.state == "submitted"


def test_a_revoked_institution_is_not_offered_a_new_plan(live_server, page):
    bureau = UserFactory(username="bureau-stray", role=roles.BUREAU)
    institution = filed_institution()
    UserFactory(username="revoked-stray", institution=institution)
    filing = Filing.objects.get(institution=institution, state=FilingState.FILED)
    after_filing.revoke(filing, bureau, reason="弄虚作假")
    log_in(page, live_server, "revoked-stray")
    page.goto(f"{live_server.url}/certification/plans/")
    assert page.get_by_test_id("new-plan").count() == 0
    assert page.get_by_test_id("new-plan-refusal").is_visible()
    assert "不能制定认定方案" in page.get_by_test_id("new-plan-refusal").inner_text()
    page.screenshot(path=str(ARTIFACTS / "stray-get-revoked-plans.png"), full_page=True)
