"""Issue 44 item 1, the filed exam sites in a real Chromium: an institution whose filing in force lists one
理论 site of 20 seats opens its plan's new-session page and finds the site in the choice; 25 seats are refused
with the message beside 座位数 naming the site and its 20 seats, what was typed kept; 20 seats are saved and
the session's page shows the site's name and address; a 技能操作考核 at the 理论 site is refused."""

import datetime

import pytest
import time_machine

from certification.models import ExamSession
from filings.institutions import current_filing
from tests.certification.factories import PlanFactory, filed_institution
from tests.filings.factories import FilingSiteFactory
from tests.journeys.signing_in import login, shot
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.date(2026, 12, 10)
SITE_NAME = "河西实训楼"
SITE_ADDRESS = "天津市河西区友谊路 9 号"


def fill_session(form, *, kind, room, capacity, site, starts="09:00", ends="11:00", assessor=False):
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=day]").fill(DAY.isoformat())
    form.locator("input[name=starts]").fill(starts)
    form.locator("input[name=ends]").fill(ends)
    form.locator("select[name=site]").select_option(str(site.pk))
    form.locator("input[name=room]").fill(room)
    form.locator("input[name=capacity]").fill(capacity)
    form.locator("select[name=supervisor]").select_option(index=1)
    if assessor:
        form.locator("input[name=assessors]").first.check()


def test_a_session_at_a_filed_theory_site(live_server, browser):
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=True):
        user = UserFactory(username="inst", applicant=True)
        filed_institution(user.institution)
        site = FilingSiteFactory(
            filing=current_filing(user.institution, DAY),
            name=SITE_NAME,
            address=SITE_ADDRESS,
            rooms=1,
            seats=20,
            use="theory",
        )
        plan = PlanFactory(
            institution=user.institution, approved=True, staffed=True, start_date=DAY, end_date=DAY
        )

        page = login(browser, live_server, "inst")
        page.goto(f"{live_server.url}/certification/plans/{plan.pk}/sessions/")
        page.get_by_test_id("session-new").click()
        form = page.get_by_test_id("session-form")
        assert page.get_by_test_id("filed-sites").is_visible()
        options = form.locator("select[name=site] option").all_inner_texts()
        assert any(SITE_NAME in o and SITE_ADDRESS in o and "20" in o and "理论" in o for o in options), (
            options
        )
        assert form.locator("input[name=place]").count() == 0  # the place is the site's, never typed

        # 25 seats at a site filed with 20: refused beside 座位数, the typed values kept
        fill_session(form, kind="theory", room="301 教室", capacity="25", site=site)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        shot(page, "filed-sites-too-many-seats")
        capacity_error = page.locator("#div_id_capacity .invalid-feedback")
        assert capacity_error.is_visible()
        message = capacity_error.inner_text()
        assert SITE_NAME in message and "20" in message, message
        form = page.get_by_test_id("session-form")
        assert form.locator("input[name=capacity]").input_value() == "25"
        assert form.locator("input[name=room]").input_value() == "301 教室"
        assert form.locator("select[name=site]").input_value() == str(site.pk)
        assert form.locator("select[name=kind]").input_value() == "theory"
        assert form.locator("input[name=day]").input_value() == DAY.isoformat()
        assert form.locator("input[name=starts]").input_value() == "09:00"
        assert not ExamSession.objects.filter(plan=plan).exists()

        # 20 seats: saved, the session's page shows the site's name and address
        form.locator("input[name=capacity]").fill("20")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert "301 教室" in page.get_by_test_id("sessions").inner_text()
        session = ExamSession.objects.get(plan=plan)
        assert session.site_id == site.pk and session.capacity == 20
        page.goto(f"{live_server.url}/certification/plans/{plan.pk}/sessions/{session.pk}/")
        details = page.get_by_test_id("session").inner_text()
        assert SITE_NAME in details and SITE_ADDRESS in details, details
        shot(page, "filed-sites-session-saved")

        # a 技能操作考核 at the 理论 site (in the afternoon, so no one is in two rooms at once): refused
        page.goto(f"{live_server.url}/certification/plans/{plan.pk}/sessions/new/")
        form = page.get_by_test_id("session-form")
        fill_session(
            form,
            kind="practical",
            room="实训室 2",
            capacity="10",
            site=site,
            starts="14:00",
            ends="16:00",
            assessor=True,
        )
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        shot(page, "filed-sites-practical-refused")
        site_error = page.locator("#div_id_site .invalid-feedback")
        assert site_error.is_visible()
        message = site_error.inner_text()
        assert SITE_NAME in message and "理论" in message and "技能操作考核" in message, message
        assert page.get_by_test_id("session-form").locator("select[name=kind]").input_value() == "practical"
        assert ExamSession.objects.filter(plan=plan).count() == 1
