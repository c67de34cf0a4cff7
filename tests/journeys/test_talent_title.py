"""In a real Chromium (issue 34): a 技师 of three years files a title application for 工程师, the employer
recommends it, the 业务主管部门 approves it and sends it to the review body, the review body records 通过
with the title certificate number; the applicant sees each step and downloads the 申请表 PDF. Time is
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


def _open_from_queue(page, reference):
    page.get_by_test_id("nav-title-queue").click()
    page.get_by_test_id("queue").get_by_role("link", name=reference).click()
    page.wait_for_url("**/titles/*/view/")


def test_a_technician_files_a_title_application_through_to_the_certificate(live_server, page, tmp_path):
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
    UserFactory(username="liming", first_name="李明")
    UserFactory(username="hr", institution=employer, role=roles.RECOMMENDER)
    UserFactory(username="dept", institution=department, role=roles.DEPARTMENT)
    UserFactory(username="panel", institution=body, role=roles.REVIEW_BODY)
    evidence = tmp_path / "专利证书.pdf"
    evidence.write_bytes(PDF_BYTES)

    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=True):
        # The person: a 技师 since 2023-03-01 (three years on), fills in the 申请表 and submits it.
        _login(page, live_server, "liming")
        page.get_by_test_id("nav-titles").click()
        page.get_by_test_id("new").click()
        page.fill("input[name=name]", "李明")
        page.fill("input[name=id_number]", id_number(7, "19850315", male=True))
        page.fill("input[name=employer_name]", employer.name)
        page.select_option("select[name=employer]", str(employer.pk))
        page.fill("input[name=post]", "数控车工")
        page.fill("input[name=on_current_post_since]", "2020-01-01")
        page.select_option("select[name=engineering_field]", "true")
        page.select_option("select[name=frontline_skill_post]", "true")
        page.fill("input[name=occupation]", "车工")
        page.select_option("select[name=level]", "2")
        page.fill("input[name=level_certificate_number]", "Y000012011001232000001")
        page.fill("input[name=level_obtained_on]", "2023-03-01")
        page.fill("input[name=skill_work_years]", "12")
        page.select_option("select[name=title_sought]", "工程师")
        page.fill("input[name=specialty]", "机械制造")
        for year in (2025, 2024, 2023):
            page.select_option(f"select[name=appraisal_{year}]", "passed")
        page.get_by_test_id("save").click()
        page.wait_for_url("**/titles/*/")
        assert "二(二)1 · 工程师：符合" in page.get_by_test_id("decisions").inner_text()
        page.select_option("select[name=kind]", "patent")
        page.fill("input[name=summary]", "一种数控车床用快换刀夹")
        page.set_input_files("input[name=evidence]", str(evidence))
        page.get_by_test_id("add-achievement").click()
        assert "一种数控车床用快换刀夹" in page.get_by_test_id("achievements").inner_text()
        page.get_by_test_id("submit").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("state").inner_text() == "已申报，待单位推荐"
        assert "等待用人单位推荐" in page.get_by_test_id("next-step").inner_text()
        app = TitleApplication.objects.get()
        reference = app.reference
        page.screenshot(path=str(_artifacts() / "talent-title-submitted.png"), full_page=True)

        # The employer recommends it to its 业务主管部门.
        _login(page, live_server, "hr")
        _open_from_queue(page, reference)
        page.select_option("select[name=recommend-department]", str(department.pk))
        page.fill("textarea[name=recommend-comment]", "该同志业绩突出，同意推荐。")
        page.get_by_test_id("do-recommend").click()
        page.wait_for_load_state()
        assert "已推荐，报送业务主管部门审核。" in page.content()
        assert page.get_by_test_id("state").inner_text() == "待审核"

        # The 业务主管部门 approves it and sends it to the review body.
        _login(page, live_server, "dept")
        _open_from_queue(page, reference)
        page.select_option("select[name=approve-review_body]", str(body.pk))
        page.get_by_test_id("do-approve").click()
        page.wait_for_load_state()
        assert "已审核通过，报送职称评审机构。" in page.content()
        assert page.get_by_test_id("state").inner_text() == "已报送评审机构，待评审"

        # The person sees where it is.
        _login(page, live_server, "liming")
        page.get_by_test_id("nav-titles").click()
        page.get_by_test_id("mine").get_by_role("link", name=reference).click()
        assert "等待评审结果" in page.get_by_test_id("next-step").inner_text()
        trail = page.get_by_test_id("trail").inner_text()
        assert "同意推荐" in trail

        # The review body records 通过 with the title certificate.
        _login(page, live_server, "panel")
        _open_from_queue(page, reference)
        assert page.get_by_test_id("act-record_recognition").count() == 0  # 破格 only
        page.fill("input[name=record_pass-certificate_number]", "津职称2026-GC-0007")
        page.fill("input[name=record_pass-certificate_date]", "2026-12-04")
        page.get_by_test_id("do-record_pass").click()
        page.wait_for_load_state()
        assert "已录入评审通过及职称证书。" in page.content()

        # The person sees the result and downloads the 申请表.
        _login(page, live_server, "liming")
        page.get_by_test_id("nav-titles").click()
        page.get_by_test_id("mine").get_by_role("link", name=reference).click()
        assert page.get_by_test_id("state").inner_text() == "评审通过"
        assert "津职称2026-GC-0007（2026-12-04）" in page.get_by_test_id("certificate").inner_text()
        assert "办理完毕" in page.get_by_test_id("next-step").inner_text()
        page.screenshot(path=str(_artifacts() / "talent-title-passed.png"), full_page=True)
        with page.expect_download() as download_info:
            page.get_by_test_id("pdf").click()
        data = Path(download_info.value.path()).read_bytes()

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "")
    assert "李明" in text and "技师（二级）" in text and "12年" in text and "津职称2026-GC-0007" in text
    app.refresh_from_db()
    assert app.state == State.PASSED and app.department == department and app.review_body == body
