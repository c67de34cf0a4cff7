"""In a real Chromium (issue 34, 附件2 三(四)2): a 工程师 applies for 技师 at a filed 评价机构 with the copy of
the title certificate, the institution accepts it onto its plan, and the plan's roster row shows the theory
exam waived (免理论); the applicant sees each step and downloads the 申请表 PDF, read back with pypdf. Time is
frozen (ticking) in the test process, which is also the live server's process."""

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "pw-secret-123"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _artifacts() -> Path:
    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def _login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def _my_application(page, reference):
    page.get_by_test_id("nav-skills").click()
    page.wait_for_url("**/titles/skills/")
    row = page.get_by_test_id("skill-mine").locator("tr", has_text=reference)
    next_step = row.get_by_test_id("row-next-step").inner_text()
    row.get_by_role("link", name=reference).click()
    page.wait_for_url("**/titles/skills/*/view/")
    return next_step


def test_an_engineer_applies_for_technician_and_lands_on_the_plan_with_theory_waived(
    live_server, page, tmp_path
):
    from django.contrib.auth.models import Group

    from portal import roles as portal_roles
    from talent.constants import SkillState
    from talent.skill_models import SkillApplication
    from tests.certification.factories import PlanFactory, filed_institution
    from tests.portal.factories import InstitutionFactory, UserFactory, id_number

    for name in portal_roles.ALL_ROLES:  # a transactional test may run after a flush
        Group.objects.get_or_create(name=name)
    body = filed_institution(InstitutionFactory(name="天津市海河职业技能评价中心"))
    plan = PlanFactory(institution=body, levels=[2, 3], title="2026年第九期技师认定")
    UserFactory(username="zhanggong", first_name="张工")
    UserFactory(username="clerk", institution=body)
    copy = tmp_path / "职称证书.pdf"
    copy.write_bytes(PDF_BYTES)

    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=True):
        # The 工程师 (since 2020) fills in the 申请表, attaches the certificate copy and submits it.
        _login(page, live_server, "zhanggong")
        page.get_by_test_id("nav-skills").click()
        assert "新建申请" in page.get_by_test_id("next-step").inner_text()
        page.get_by_test_id("skill-new").click()
        page.fill("input[name=name]", "张建工")
        page.fill("input[name=id_number]", id_number(11, "19880512", male=True))
        page.fill("input[name=employer_name]", "天津市海河装备制造有限公司")
        page.fill("input[name=post]", "工艺技术员")
        page.select_option("select[name=engineering_field]", "true")
        page.select_option("select[name=skill_post]", "true")
        page.select_option("select[name=title]", label="工程师")
        page.fill("input[name=title_certificate_number]", "津工程2020-00123")
        page.fill("input[name=title_obtained_on]", "2020-01-01")
        page.set_input_files("input[name=title_copy]", str(copy))
        page.select_option("select[name=occupation]", str(plan.occupation_id))
        page.select_option("select[name=level]", "2")
        page.select_option("select[name=route]", "recognition")
        page.select_option("select[name=institution]", str(body.pk))
        page.get_by_test_id("save").click()
        page.wait_for_url("**/titles/skills/*/")
        assert page.get_by_test_id("copy-attached").count() == 1
        assert "免于理论知识考核" in page.get_by_test_id("decisions").inner_text()
        assert "申报" in page.get_by_test_id("next-step").inner_text()
        page.get_by_test_id("submit").click()
        page.wait_for_url("**/titles/skills/*/view/")
        assert page.get_by_test_id("state").inner_text() == "已申报，待受理"
        assert "等待评价机构受理" in page.get_by_test_id("next-step").inner_text()
        app = SkillApplication.objects.get()
        reference = app.reference
        assert "等待评价机构受理" in _my_application(page, reference)

        # The institution's clerk accepts it onto its plan from the queue.
        _login(page, live_server, "clerk")
        page.get_by_test_id("nav-skill-queue").click()
        assert "受理" in page.get_by_test_id("next-step").inner_text()
        page.get_by_test_id("queue").get_by_role("link", name=reference).click()
        page.wait_for_url("**/titles/skills/*/view/")
        page.select_option("select[name=accept-plan]", str(plan.pk))
        page.get_by_test_id("do-accept").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("state").inner_text() == "已受理"

        # The plan's roster row: theory waived.
        page.goto(f"{live_server.url}/certification/plans/{plan.pk}/")
        row = page.get_by_test_id("candidates").locator("[data-testid=candidate-row]", has_text="张建工")
        assert "免理论" in row.inner_text()
        page.screenshot(path=str(_artifacts() / "talent-skill-roster.png"), full_page=True)

        # The applicant sees the step done and downloads the 申请表.
        _login(page, live_server, "zhanggong")
        assert "2026年第九期技师认定" in _my_application(page, reference)
        assert "2026年第九期技师认定" in page.get_by_test_id("next-step").inner_text()
        assert "受理" in page.get_by_test_id("trail").inner_text()
        with page.expect_download() as download_info:
            page.get_by_test_id("application-pdf").click()
        data = Path(download_info.value.path()).read_bytes()

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "")
    for words in (
        "专业技术人才参加职业技能评价申请表",
        "张建工",
        "工程师",
        "技师（二级）",
        "免于理论知识考核",
    ):
        assert words in text, words
    app.refresh_from_db()
    assert app.state == SkillState.ACCEPTED and app.candidate.plan == plan and app.candidate.title_bridged
