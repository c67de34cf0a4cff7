"""In a real Chromium (issue 33 item 3): an application submitted while no round of the bureau is open is
refused with the reason on the page, the draft kept; once the bureau has published an open round the
same application is submitted. The applicant's list names the round either way."""

import datetime

import pytest

from filings import rounds
from filings.constants import State
from filings.models import ApplicationRound, Filing
from tests.filings.factories import in_state
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_application_outside_a_round_is_refused_with_the_reason(live_server, page, settings):
    settings.FILING_INTAKE = rounds.ROUNDS
    applicant = UserFactory(username="haihe", applicant=True)
    filing = in_state(State.DRAFT, institution=applicant.institution)

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "haihe")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")

    page.goto(f"{live_server.url}/filings/")
    assert "尚未发布下一批申报工作安排" in page.get_by_test_id("intake").inner_text()
    page.goto(f"{live_server.url}/filings/{filing.pk}/edit/")
    page.get_by_test_id("submit").click()
    page.wait_for_load_state()
    alert = page.locator(".alert-danger").first.inner_text()
    assert "当前不在评价机构申报期内" in alert and "第十条(一)" in alert
    assert Filing.objects.get(pk=filing.pk).state == State.DRAFT

    ApplicationRound.objects.create(
        title="评价机构备案常年申报",
        opens_on=datetime.date(2000, 1, 1),
        closes_on=datetime.date(2099, 12, 31),
    )
    page.goto(f"{live_server.url}/filings/")
    assert "评价机构备案常年申报" in page.get_by_test_id("intake").inner_text()
    page.goto(f"{live_server.url}/filings/{filing.pk}/edit/")
    page.get_by_test_id("submit").click()
    page.wait_for_url(f"**/filings/{filing.pk}/")
    assert Filing.objects.get(pk=filing.pk).state == State.SUBMITTED
    page.goto(f"{live_server.url}/filings/rounds/")
    assert "评价机构备案常年申报" in page.get_by_test_id("rounds-current").inner_text()
