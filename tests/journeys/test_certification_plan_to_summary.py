"""In a real Chromium: an institution submits a plan with an uploaded roster, the centre approves it,
the institution uploads scores and reports, the centre verifies, and the summary shows the new counts."""

import datetime

import pytest
import time_machine

from certification import rules
from portal import roles, workdays
from tests.certification.factories import filed_institution, occupation, person_id, roster_xlsx, scores_xlsx
from tests.journeys.signing_in import login, shot
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_plan_roster_approve_scores_verify_summary(live_server, browser):
    institution_user = UserFactory(username="inst", applicant=True)
    UserFactory(username="centre1", role=roles.CENTRE)
    filed_institution(institution_user.institution)
    occ = occupation()
    start = rules.first_allowed_start(workdays.today()).date
    people = [(f"考生{i}", person_id(5000 + i), 4, 6) for i in range(4)] + [("王不符", person_id(5100), 4, 1)]

    # The institution creates the plan and uploads the roster.
    page = login(browser, live_server, "inst")
    page.goto(live_server.url + "/certification/plans/new/")
    page.fill("input[name=title]", "旅程测试认定方案")
    page.select_option("select[name=occupation]", str(occ.pk))
    page.check("input[name=levels][value='4']")
    page.check("input[name=methods][value='theory']")
    page.check("input[name=methods][value='practical']")
    page.fill("input[name=site]", "天津市河西区友谊路 1 号考点")
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", start.isoformat())
    page.locator("[data-testid=plan-form] button[type=submit]").click()
    page.wait_for_selector("[data-testid=roster-form]")
    page.set_input_files(
        "[data-testid=roster-form] input[type=file]",
        {"name": "名册.xlsx", "mimeType": XLSX, "buffer": roster_xlsx(people)},
    )
    page.locator("[data-testid=roster-form] button[type=submit]").click()
    page.wait_for_selector("text=已导入 5 名考生")
    assert "不符合" in page.get_by_test_id("candidates").inner_text()
    for role, index in (
        ("invigilator", 200),
        ("invigilator", 201),
        ("supervisor", 300),
        ("assessor", 100),
        ("assessor", 101),
        ("assessor", 102),
    ):
        page.select_option("[data-testid=staff-form] select[name=role]", role)
        page.select_option("[data-testid=staff-form] select[name=person]", person_id(index))
        with page.expect_navigation():
            page.locator("[data-testid=staff-form] button[type=submit]").click()
    shot(page, "certification-1-plan-draft")
    page.get_by_test_id("submit-plan").click()
    page.wait_for_selector("text=认定方案已报送市鉴定中心审查")
    plan_url = page.url.split("#")[0]

    # The centre approves it from the queue.
    centre = login(browser, live_server, "centre1")
    centre.goto(live_server.url + "/certification/plans/")
    shot(centre, "certification-2-queue")
    centre.get_by_role("link", name="旅程测试认定方案").click()
    # 王不符 is not eligible and not confirmed yet: the approval is refused and names him.
    centre.get_by_test_id("approve").click()
    centre.wait_for_selector("text=不能通过审查")
    assert "第 6 行 王不符" in centre.locator(".alert-danger, .alert-error").first.inner_text()
    centre.get_by_role("link", name="王不符").click()
    centre.fill("#override-reason", "经核实，本职业工作年限证明齐全")
    with centre.expect_navigation():
        centre.get_by_role("button", name="人工确认").click()
    centre.goto(plan_url)
    centre.get_by_test_id("approve").click()
    centre.wait_for_selector("text=认定方案审查通过。")
    assert "已通过审查" in centre.get_by_test_id("plan-state").inner_text()

    # After the assessment day the institution uploads the scores and reports; the centre verifies.
    with time_machine.travel(datetime.datetime.combine(start, datetime.time(17)), tick=True):
        page.goto(plan_url)
        scores = [
            (person_id(5000), 85, 90),
            (person_id(5001), 60, 60),
            (person_id(5002), 72, 59.5),
            (person_id(5003), 90, 88),
            (person_id(5100), 55, 70),  # confirmed by the centre, takes part, fails theory
        ]
        page.set_input_files(
            "[data-testid=scores-form] input[type=file]",
            {"name": "成绩.xlsx", "mimeType": XLSX, "buffer": scores_xlsx(scores)},
        )
        page.locator("[data-testid=scores-form] button[type=submit]").click()
        page.wait_for_selector("text=已录入 5 名考生的成绩")
        page.get_by_test_id("report").click()
        page.wait_for_selector("text=认定结果已上报市鉴定中心")
        shot(page, "certification-3-reported")

        # The centre verifies; the summary counts the three who passed.
        centre.goto(plan_url)
        centre.get_by_test_id("verify").click()
        centre.wait_for_selector("text=认定结果核对无误。")
        centre.goto(live_server.url + "/certification/summary/?month=" + start.strftime("%Y-%m"))
        total = centre.get_by_test_id("summary-total").inner_text()
        assert total.split()[-1] == "3"
        assert "中式烹调师" in centre.get_by_test_id("summary").inner_text()
        shot(centre, "certification-4-summary")
