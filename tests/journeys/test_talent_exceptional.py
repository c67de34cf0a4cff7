"""In a real Chromium (issue 34 acceptance, 破格): a 全国技术能手 who has held 高级技师 for one year only
applies for 高级工程师 (seed 002 附件2 二(二)3: assessed and recognised directly, without the years); the form
shows the 破格 decision, the employer recommends, the 业务主管部门 sends it on, and the review body records
破格认定 with the title certificate. Time is frozen (ticking) in the test process, the live server's too."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

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


def _open_from_queue(page, reference):
    page.get_by_test_id("nav-title-queue").click()
    page.get_by_test_id("queue").get_by_role("link", name=reference).click()
    page.wait_for_url("**/titles/*/view/")


def test_a_national_technical_expert_is_recognised_senior_engineer_without_the_years(
    live_server, page, tmp_path
):
    from django.contrib.auth.models import Group

    from talent import roles
    from talent.constants import State
    from talent.models import TitleApplication
    from tests.portal.factories import InstitutionFactory, UserFactory, id_number

    for name in roles.LABELS:  # a transactional test may run after a flush
        Group.objects.get_or_create(name=name)
    employer = InstitutionFactory(name="天津市海河装备制造有限公司")
    department = InstitutionFactory(name="天津市工业和信息化局")
    body = InstitutionFactory(name="天津市工程系列职称评审委员会")
    UserFactory(username="wanggang", first_name="王刚")
    UserFactory(username="hr", institution=employer, role=roles.RECOMMENDER)
    UserFactory(username="dept", institution=department, role=roles.DEPARTMENT)
    UserFactory(username="panel", institution=body, role=roles.REVIEW_BODY)
    evidence = tmp_path / "技术革新成果.pdf"
    evidence.write_bytes(PDF_BYTES)

    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=True):
        _login(page, live_server, "wanggang")
        page.get_by_test_id("nav-titles").click()
        page.get_by_test_id("new").click()
        page.fill("input[name=name]", "王刚")
        page.fill("input[name=id_number]", id_number(9, "19800606", male=True))
        page.fill("input[name=employer_name]", employer.name)
        page.select_option("select[name=employer]", str(employer.pk))
        page.fill("input[name=post]", "焊接工艺主管")
        page.fill("input[name=on_current_post_since]", "2018-01-01")
        page.select_option("select[name=engineering_field]", "true")
        page.select_option("select[name=frontline_skill_post]", "true")
        page.fill("input[name=occupation]", "焊工")
        page.select_option("select[name=level]", "1")
        page.fill("input[name=level_certificate_number]", "Y000012011001251000001")
        page.fill("input[name=level_obtained_on]", "2025-12-01")  # one year: 4 are needed without 破格
        page.fill("input[name=skill_work_years]", "20")
        page.select_option("select[name=title_sought]", "高级工程师")
        page.fill("input[name=specialty]", "焊接技术与工程")
        for year in (2025, 2024, 2023):
            page.select_option(f"select[name=appraisal_{year}]", "passed")
        page.get_by_label("全国技术能手").check()
        page.get_by_test_id("save").click()
        page.wait_for_url("**/titles/*/")
        decisions = page.get_by_test_id("decisions").inner_text()
        assert "二(二)3" in decisions and "高级工程师" in decisions
        page.select_option("select[name=kind]", "process_innovation")
        page.fill("input[name=summary]", "厚板窄间隙焊接工艺革新")
        page.set_input_files("input[name=evidence]", str(evidence))
        page.get_by_test_id("add-achievement").click()
        page.get_by_test_id("submit").click()
        page.wait_for_load_state()
        reference = TitleApplication.objects.get().reference

        _login(page, live_server, "hr")
        _open_from_queue(page, reference)
        page.select_option("select[name=recommend-department]", str(department.pk))
        page.get_by_test_id("do-recommend").click()
        page.wait_for_load_state()

        _login(page, live_server, "dept")
        _open_from_queue(page, reference)
        page.select_option("select[name=approve-review_body]", str(body.pk))
        page.get_by_test_id("do-approve").click()
        page.wait_for_load_state()

        _login(page, live_server, "panel")
        _open_from_queue(page, reference)
        page.fill("input[name=record_recognition-certificate_number]", "津职称2026-GJ-0001")
        page.fill("input[name=record_recognition-certificate_date]", "2026-12-04")
        page.get_by_test_id("do-record_recognition").click()
        page.wait_for_load_state()
        assert "已录入破格认定及职称证书。" in page.content()

        _login(page, live_server, "wanggang")
        page.get_by_test_id("nav-titles").click()
        page.get_by_test_id("mine").get_by_role("link", name=reference).click()
        assert page.get_by_test_id("state").inner_text() == "破格认定"
        assert "津职称2026-GJ-0001" in page.get_by_test_id("certificate").inner_text()

    app = TitleApplication.objects.get()
    assert app.state == State.RECOGNISED
