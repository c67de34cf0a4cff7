"""In a real Chromium (issue 29 items 3 and 4): the bureau is told that a filing waits for its
approval and sees the count on its landing page; it lifts a blacklist entry on the entry's page, with
a reason (an empty one is refused in Chinese) and a confirmation."""

from pathlib import Path

import pytest

from filings import after_filing, workflow
from filings.constants import State
from filings.constants_after import BlacklistState
from portal import roles
from tests.filings.factories import in_state
from tests.filings.factories_after import FiledFilingFactory
from tests.portal.factories import InstitutionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def test_the_bureau_is_told_and_sees_what_waits(live_server, page):
    UserFactory(username="bureau-told", role=roles.BUREAU)
    centre = UserFactory(username="centre-told", role=roles.CENTRE)
    UserFactory.create_batch(3, role=roles.EXPERT)
    filing = in_state(State.UNDER_EVALUATION, name="津门技能评价中心")
    workflow.draw_experts(filing, centre)
    for review in filing.expert_reviews.all():
        workflow.score(filing, review.expert, material=80, onsite=80, qa=80, opinion="同意", recommend=True)
    workflow.conclude(filing, centre, recommend=True, comment="建议备案")

    log_in(page, live_server, "bureau-told")
    assert page.get_by_test_id("fig-waiting-filings").inner_text() == "1"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bureau-dashboard.png"), full_page=True)
    page.goto(live_server.url + "/notifications/")
    assert "暂无通知" not in page.content()
    page.get_by_text("津门技能评价中心").first.click()
    page.wait_for_url(f"**/filings/{filing.pk}/")
    page.goto(live_server.url + "/dashboard/")
    page.get_by_test_id("fig-waiting-filings").click()
    page.wait_for_url("**/filings/queue/evaluated/")
    assert "津门技能评价中心" in page.content()


def test_the_bureau_lifts_a_blacklist_entry(live_server, page):
    bureau = UserFactory(username="bureau-lifts", role=roles.BUREAU)
    institution = InstitutionFactory()
    applicant = UserFactory(username="revoked-lifts", institution=institution)
    entry = after_filing.revoke(
        FiledFilingFactory(institution=institution, name="滨海评价机构"), bureau, reason="违规发证"
    )
    log_in(page, live_server, "bureau-lifts")
    assert page.get_by_test_id("fig-waiting-blacklist").inner_text() == "1"
    page.get_by_test_id("fig-waiting-blacklist").click()
    page.get_by_test_id("blacklist-entry").filter(has_text="滨海评价机构").click()
    page.wait_for_url(f"**/filings/after/blacklist/{entry.pk}/")

    page.check("input[name=confirm]")  # no reason: refused, in Chinese
    page.get_by_test_id("lift").click()
    page.wait_for_load_state()
    assert page.get_by_text("移出黑名单必须填写理由。").is_visible()

    page.fill("textarea[name=reason]", "行政复议撤销原决定")
    page.check("input[name=confirm]")
    page.get_by_test_id("lift").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("blacklist-state").inner_text() == "已移出"
    assert page.get_by_test_id("lift-reason").inner_text() == "行政复议撤销原决定"
    page.screenshot(path=str(ARTIFACTS / "blacklist-lifted.png"), full_page=True)
    entry.refresh_from_db()
    assert entry.state == BlacklistState.LIFTED
    assert applicant.notifications.filter(text__contains="移出黑名单").exists()
