"""In a real Chromium: a level-3 applicant fills the public self-check page (adding a row with the
vanilla-JS button) and gets the answer clause by clause, then the title bridge for an engineer."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from portal.models import Occupation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def on_23_november_2026():
    with time_machine.travel(datetime(2026, 11, 23, 2, 0, tzinfo=UTC), tick=True):
        yield


def test_level_3_applicant_checks_eligibility(live_server, page, on_23_november_2026):
    Occupation.objects.create(code="4-03-02-01", name="中式烹调师")
    Occupation.objects.create(code="6-18-01-01", name="车工")
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="申报条件自测").first.click()
    page.wait_for_url("**/eligibility/check/")

    page.select_option("#id_occupation", label="4-03-02-01 中式烹调师")
    page.select_option("#id_level", value="3")
    page.fill("#id_birth_date", "1995-05-01")
    page.fill("#id_years_in_occupation", "6")
    page.select_option("#id_cert-0-level", value="4")
    page.fill("#id_cert-0-obtained_on", "2021-03-01")
    # "add row" clones the empty form; the untouched new row is ignored on submit
    page.get_by_test_id("add-cert").click()
    assert page.locator("#id_cert-1-level").is_visible()
    assert page.locator("input[name=cert-TOTAL_FORMS]").input_value() == "2"
    page.get_by_test_id("add-title").click()
    page.select_option("#id_title-1-grade", value="junior")
    page.fill("#id_title-1-obtained_on", "2025-06-01")
    page.get_by_test_id("submit-check").click()

    verdict = page.get_by_test_id("verdict")
    verdict.wait_for()
    assert "符合申报条件（第 三(二) 项）" in verdict.inner_text()
    clauses = page.get_by_test_id("clauses")
    assert clauses.locator("li").count() == 6
    assert clauses.locator("li[data-clause='三(二)']").get_attribute("data-met") == "1"
    first = clauses.locator("li[data-clause='三(一)']")
    assert first.get_attribute("data-met") == "0"
    assert "还需累计从事本职业或相关职业工作满 4 年" in first.inner_text()
    # 三(三): the junior title of 2025-06-01 has 1 year on 2026-06-01
    assert clauses.locator("li[data-clause='三(三)']").get_attribute("data-met") == "1"
    bridge = page.get_by_test_id("answer")
    assert "取得与现岗位相对应的助理工程师职称" in bridge.inner_text()
    assert "免于理论知识考核" in bridge.inner_text()
    # the input is kept beside the answer
    assert page.locator("#id_cert-0-obtained_on").input_value() == "2021-03-01"
    page.screenshot(path=str(ARTIFACTS / "eligibility-selfcheck.png"), full_page=True)


def test_not_yet_eligible_shows_what_is_missing(live_server, page, on_23_november_2026):
    Occupation.objects.create(code="4-03-02-01", name="中式烹调师")
    page.goto(live_server.url + "/eligibility/check/")
    page.select_option("#id_occupation", label="4-03-02-01 中式烹调师")
    page.select_option("#id_level", value="3")
    page.fill("#id_years_in_occupation", "9")
    page.select_option("#id_cert-0-level", value="4")
    page.fill("#id_cert-0-obtained_on", "2024-02-23")
    page.get_by_test_id("submit-check").click()
    page.get_by_test_id("verdict").wait_for()
    assert "暂不符合申报条件" in page.get_by_test_id("verdict").inner_text()
    second = page.get_by_test_id("clauses").locator("li[data-clause='三(二)']")
    assert "还需从事本职业或相关职业工作满 1 年 3 个月（最早 2028-02-23 满足）" in second.inner_text()
    page.screenshot(path=str(ARTIFACTS / "eligibility-selfcheck-missing.png"), full_page=True)


def test_self_check_in_english(live_server, page, on_23_november_2026):
    Occupation.objects.create(code="4-03-02-01", name="中式烹调师")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/eligibility/check/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#id_occupation", label="4-03-02-01 中式烹调师")
    page.select_option("#id_level", value="2")
    page.fill("#id_years_in_occupation", "3")
    page.select_option("#id_cert-0-level", value="3")
    page.fill("#id_cert-0-obtained_on", "2024-02-23")
    page.get_by_test_id("add-title").click()
    page.select_option("#id_title-0-grade", value="intermediate")
    page.fill("#id_title-0-obtained_on", "2026-01-10")
    page.get_by_test_id("submit-check").click()
    page.get_by_test_id("verdict").wait_for()
    assert "Not eligible yet" in page.get_by_test_id("verdict").inner_text()
    text = page.get_by_test_id("answer").inner_text()
    assert "四(一) not met" in text and "another 2 year(s)" in text
    assert "exempt from the theory exam" in text
    page.screenshot(path=str(ARTIFACTS / "eligibility-selfcheck-en.png"), full_page=True)
