"""In a real Chromium: the self-check page's title questions (《技能人才分类评价实施细则》 附件2, issue 32):
a 技师 of 3 years gets 工程师 (二(二)1); a 全国技术能手 gets 高级工程师 (二(二)3, 破格); a 工程师 placed 5th
in a 市级一类 competition gets 高级技师 (三(二)3, 破格)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def on_23_november_2026():
    with time_machine.travel(datetime(2026, 11, 23, 2, 0, tzinfo=UTC), tick=True):
        yield


def decision(page, clause, target):
    return page.get_by_test_id("title-answer").locator(f"li[data-clause='{clause}'][data-target='{target}']")


def test_title_questions(live_server, page, on_23_november_2026):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_server.url + "/eligibility/check/")

    # a 技师 of exactly 3 years, 3 appraisals on a post held since 2020 -> 工程师
    page.select_option("#id_t-level", value="2")
    page.fill("#id_t-level_obtained_on", "2023-11-23")
    page.fill("#id_t-on_current_post_since", "2020-01-01")
    page.get_by_test_id("submit-titles").click()
    page.get_by_test_id("title-answer").wait_for()
    engineer = decision(page, "二(二)1", "工程师")
    assert engineer.get_attribute("data-eligible") == "1"
    assert "已满3年" in engineer.inner_text()

    # a 全国技术能手 -> 高级工程师, 破格
    page.goto(live_server.url + "/eligibility/check/")
    page.get_by_label("全国技术能手").check()
    page.get_by_test_id("submit-titles").click()
    page.get_by_test_id("title-answer").wait_for()
    senior = decision(page, "二(二)3", "高级工程师")
    assert senior.get_attribute("data-eligible") == "1" and senior.get_attribute("data-exceptional") == "1"
    assert "可以（破格）" in senior.inner_text()

    # a 工程师 placed 5th in a 市级一类 competition -> 高级技师, 破格, theory waived
    page.goto(live_server.url + "/eligibility/check/")
    page.select_option("#id_t-title", value="工程师")
    page.fill("#id_t-title_obtained_on", "2022-05-01")
    page.select_option("#id_t-competition_class", value="市级一类")
    page.fill("#id_t-competition_rank", "5")
    page.get_by_test_id("submit-titles").click()
    page.get_by_test_id("title-answer").wait_for()
    top = decision(page, "三(二)3", "1")
    assert top.get_attribute("data-eligible") == "1" and top.get_attribute("data-exceptional") == "1"
    assert "免于理论知识考核" in top.inner_text()
    page.screenshot(path=str(ARTIFACTS / "eligibility-title-selfcheck.png"), full_page=True)
