"""Issue 44's site change, on the change page in a real Chromium: an institution whose filing in force lists
two exam sites asks to add a third and stop using one. A submit with nothing listed is refused beside the
note (not at the top of the page) with the reason kept; a filled row and a ticked site are sent; the
filing's page lists the change as 增加 … 减少 …, and still names the removed site once the centre approved
it and the site's row is gone from the filed record."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from filings import after_filing
from filings.institutions import current_filing
from filings.models import ChangeRequest, FilingSite
from portal import roles
from tests.certification.factories import filed_institution
from tests.filings.factories import FilingSiteFactory
from tests.journeys.signing_in import login, shot
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_a_site_change_on_the_change_page(live_server, browser):
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=True):
        user = UserFactory(username="inst", applicant=True)
        filed_institution(user.institution)
        filing = current_filing(user.institution)
        kept = FilingSiteFactory(filing=filing, name="河西实训楼", address="河西区友谊路 9 号", seats=20)
        old = FilingSiteFactory(filing=filing, name="南开旧考点", address="南开区旧路 1 号", seats=30)
        centre = UserFactory(username="centre", role=roles.CENTRE)

        page = login(browser, live_server, "inst")
        page.goto(live_server.url + reverse("filings:request_change", args=[filing.pk]))
        page.get_by_test_id("change-kind-site").click()
        form = page.get_by_test_id("change-form")
        assert page.get_by_test_id("added-sites").is_visible()
        removals = page.get_by_test_id("removed-sites")
        assert kept.name in removals.inner_text() and old.name in removals.inner_text()

        # nothing listed: refused beside the note, the reason kept, nothing filed
        form.locator("textarea[name=reason]").fill("南开旧考点停用，启用西青新楼")
        with page.expect_navigation():
            page.get_by_test_id("change-submit").click()
        note_error = page.locator("#div_id_site_description .invalid-feedback")
        assert note_error.is_visible()
        assert "请列出增加或减少的考试场地" in note_error.inner_text()
        assert page.locator("textarea[name=reason]").input_value() == "南开旧考点停用，启用西青新楼"
        assert not ChangeRequest.objects.exists()
        shot(page, "site-change-empty-refused")

        # one site added, one removed
        row = page.get_by_test_id("added-site-row").first
        row.locator("input[name$=-name]").fill("西青实训楼")
        row.locator("input[name$=-address]").fill("西青区实训路 11 号")
        row.locator("input[name$=-rooms]").fill("3")
        row.locator("input[name$=-seats]").fill("60")
        row.locator("select[name$=-use]").select_option("practical")
        page.get_by_test_id("removed-sites").get_by_label(old.name, exact=False).check()
        with page.expect_navigation():
            page.get_by_test_id("change-submit").click()
        summary = page.get_by_test_id("changes").inner_text()
        assert "增加 西青实训楼" in summary and "减少 南开旧考点" in summary, summary
        shot(page, "site-change-submitted")

        # approved by the centre: the old site's row is gone, the change still names it
        change = ChangeRequest.objects.get()
        after_filing.decide_change(change, centre, approve=True, comment="同意")
        assert set(FilingSite.objects.filter(filing=filing).values_list("name", flat=True)) == {
            "河西实训楼",
            "西青实训楼",
        }
        page.reload()
        summary = page.get_by_test_id("changes").inner_text()
        assert "减少 南开旧考点" in summary, summary
