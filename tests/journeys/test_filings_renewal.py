"""In a real Chromium: an applicant of a filed institution requests renewal inside the 60-day window.
Time is frozen (ticking) in the test process, which is also the live server's process."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from filings.constants_after import RenewalState
from filings.models import Renewal
from tests.filings.factories_after import FiledFilingFactory
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _artifacts():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def test_applicant_requests_renewal_inside_the_window(live_server, page):
    from datetime import date

    from django.contrib.auth.models import Group

    from portal import roles

    Group.objects.get_or_create(name=roles.APPLICANT)  # a transactional test may run after a flush
    user = UserFactory(username="renewer", applicant=True)
    filing = FiledFilingFactory(
        institution=user.institution, filed_on=date(2026, 3, 1)
    )  # valid until 2029-02-28
    # 2028-12-30 is the 60th day before expiry: the first day a renewal may be requested.
    with time_machine.travel(datetime(2028, 12, 30, 9, 0, tzinfo=SHANGHAI), tick=True):
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", "renewer")
        page.fill("input[name=password]", "pw-secret-123")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/dashboard/")

        page.get_by_role("link", name="备案后管理").first.click()
        page.get_by_test_id("after-open").first.click()
        page.wait_for_url(f"**/filings/after/filing/{filing.pk}/")
        page.get_by_test_id("renew").click()
        page.fill("textarea[name=summary]", "备案期内开展焊工认定 1,260 人次，未发生违规。")
        page.screenshot(path=str(_artifacts() / "filings-renewal-form.png"), full_page=True)
        page.get_by_test_id("renewal-submit").click()
        page.wait_for_url(f"**/filings/after/filing/{filing.pk}/")
        assert "续期申请已提交" in page.content()
        assert "待评估" in page.get_by_test_id("renewals").inner_text()
        page.screenshot(path=str(_artifacts() / "filings-renewal-requested.png"), full_page=True)

    renewal = Renewal.objects.get()
    assert renewal.state == RenewalState.SUBMITTED
    assert renewal.requested_on == date(2028, 12, 30)
    assert renewal.old_valid_until == date(2029, 2, 28)


def test_centre_approves_the_renewal_and_validity_moves_on(live_server, page):
    from datetime import date

    from django.contrib.auth.models import Group

    from filings import after_filing
    from portal import roles

    for name in (roles.APPLICANT, roles.CENTRE):
        Group.objects.get_or_create(name=name)
    applicant = UserFactory(username="renewer2", applicant=True)
    UserFactory(username="centre2", role=roles.CENTRE, is_staff=True)
    filing = FiledFilingFactory(institution=applicant.institution, filed_on=date(2026, 3, 1))
    after_filing.request_renewal(filing, applicant, summary="工作情况良好", on=date(2029, 1, 15))
    with time_machine.travel(datetime(2029, 1, 20, 9, 0, tzinfo=SHANGHAI), tick=True):
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", "centre2")
        page.fill("input[name=password]", "pw-secret-123")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/dashboard/")
        page.get_by_role("link", name="备案后管理").first.click()
        page.get_by_role("link", name="续期申请").first.click()
        page.get_by_test_id("renewal-queue").get_by_role("link", name="待评估").click()
        page.fill("textarea[name=comment]", "备案期内工作规范，综合评估合格。")
        page.fill("input[name=score]", "91")
        page.select_option("select[name=decision]", "approve")
        page.get_by_test_id("renewal-decide").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("renewal-state").inner_text() == "准予续期"
        assert page.get_by_test_id("new-valid-until").inner_text() == "2032-02-28"
        page.screenshot(path=str(_artifacts() / "filings-renewal-approved.png"), full_page=True)
        page.get_by_role("link", name="返回").click()
        assert page.get_by_test_id("validity").inner_text() == "2026-03-01 — 2032-02-28"
        page.screenshot(path=str(_artifacts() / "filings-after-staff.png"), full_page=True)
