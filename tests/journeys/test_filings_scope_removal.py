"""In a real Chromium: a filed institution asks to remove an occupation (seed 001 第十一条: a change may
remove occupations or levels, without a new evaluation); once the centre confirms it, the public
directory no longer lists the institution under that occupation. Time is frozen (ticking) in the test
process, which is also the live server's process."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.filings.factories_after import FiledFilingFactory
from tests.portal.factories import OccupationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "pw-secret-123"


def _artifacts() -> Path:
    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def _directory_rows(page, base, occupation):
    page.context.clear_cookies()
    page.goto(base + "/filings/directory/")
    page.fill("#id_occupation", occupation)
    page.get_by_test_id("directory-submit").click()
    page.wait_for_url("**occupation=*")
    return page.get_by_test_id("directory-row")


def test_seed_001_第十一条_a_removed_occupation_leaves_the_directory_once_confirmed(live_server, page):
    from django.contrib.auth.models import Group

    from filings.constants_after import ChangeState
    from filings.models import ChangeRequest
    from portal import roles

    for name in (roles.APPLICANT, roles.CENTRE):
        Group.objects.get_or_create(name=name)  # a transactional test may run after a flush
    applicant = UserFactory(username="remover", applicant=True)
    UserFactory(username="centre-rm", role=roles.CENTRE, is_staff=True)
    welder = OccupationFactory(code="6-25-04-05", name="焊工", standard_year=2018)
    cook = OccupationFactory(code="4-03-02-01", name="中式烹调师", standard_year=2018)
    filing = FiledFilingFactory(
        institution=applicant.institution,
        name="天津市甲综合技能评价中心",
        occupations=[(welder, "345"), (cook, "45")],
        filed_on=date(2026, 3, 1),
    )
    base = live_server.url
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=True):
        assert _directory_rows(page, base, "中式烹调师").count() == 1

        # The applicant asks to remove 中式烹调师, both filed levels.
        _login(page, base, "remover")
        page.goto(f"{base}/filings/after/filing/{filing.pk}/")
        page.get_by_test_id("change").click()
        page.get_by_test_id("change-kind-scope").click()
        page.select_option("select[name=action]", "remove")
        page.fill("textarea[name=reason]", "烹饪实训场地停用，不再开展中式烹调师认定。")
        page.select_option(
            "select[name=removed_occupation]", label="4-03-02-01 中式烹调师 · 四级/中级工、五级/初级工"
        )
        page.check("input[name=levels][value='4']")
        page.check("input[name=levels][value='5']")
        page.screenshot(path=str(_artifacts() / "filings-scope-removal-form.png"), full_page=True)
        page.get_by_test_id("change-submit").click()
        page.wait_for_url(f"**/filings/after/filing/{filing.pk}/")
        assert "变更申请已提交" in page.content()
        assert "减少 中式烹调师" in page.get_by_test_id("changes").inner_text()

        # Not yet confirmed: the directory still lists it.
        assert _directory_rows(page, base, "中式烹调师").count() == 1

        # The centre confirms; no expert evaluation is offered for a removal.
        change = ChangeRequest.objects.get()
        _login(page, base, "centre-rm")
        page.goto(f"{base}/filings/after/changes/{change.pk}/")
        assert page.get_by_test_id("act-evaluate").count() == 0
        page.get_by_test_id("act-approve").click()
        page.wait_for_load_state()
        assert "操作成功" in page.content(), page.locator(".alert").all_inner_texts()
        assert page.get_by_test_id("change-state").inner_text() == ChangeState.APPLIED.label
        page.screenshot(path=str(_artifacts() / "filings-scope-removal-confirmed.png"), full_page=True)

        # The public directory follows at once.
        assert _directory_rows(page, base, "中式烹调师").count() == 0
        assert _directory_rows(page, base, "焊工").count() == 1
        page.goto(f"{base}/filings/directory/{filing.pk}/")
        scope = page.get_by_test_id("scope").inner_text()
        assert "焊工" in scope and "中式烹调师" not in scope
        page.screenshot(path=str(_artifacts() / "filings-scope-removal-directory.png"), full_page=True)
