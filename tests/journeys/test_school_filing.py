"""In a real Chromium, a 技工院校 files with its own package (《关于开展技工院校职业技能等级认定工作的通知》（辽人社〔2020〕32号）
四(一)(二), 附件1-3; issue 38 item 1): it types 三 专业设置、课程内容、校企合作 and the 工作方案's parts, is told what is
missing when it submits too early (nothing typed is lost), uploads its 承诺书 and submits; once it has passed
核验, the centre exports the 申请备案表 for the province, read back as XLSX cells and PDF text."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from filings.constants import Route, State
from filings.models import Attachment, Filing, SchoolWorkPlan
from portal import roles
from tests.filings.factories import FilingFactory
from tests.portal.factories import InstitutionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "pw-secret-123"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PARTS = {
    "basics": "天津市第二技师学院，设数控加工、烹饪等 12 个专业。",
    "organisation": "设职业技能等级认定办公室，主任一名。",
    "occupations": "中式烹调师 一至五级，依据国家职业技能标准（2018 年版）。",
    "process": "报名、资格审核、考核、成绩评定、公示、发证。",
    "content": "理论知识考试和技能操作考核。",
    "quality": "考评员回避、督导员全程督导、视频留存。",
}


def _artifacts():
    from pathlib import Path

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


def test_a_school_files_its_package_and_the_centre_exports_the_record_table(live_server, page, tmp_path):
    from django.contrib.auth.models import Group

    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)
    school = InstitutionFactory(name="天津市第二技师学院")
    UserFactory(username="school", applicant=True, institution=school, password=PASSWORD)
    UserFactory(username="centre1", role=roles.CENTRE, first_name="王审核", password=PASSWORD)
    # The rest of the form is filled (as the filing journey does it): this journey is about the school's parts.
    filing = FilingFactory(
        institution=school, route=Route.SOCIAL, kind="technician_college", rows=True, files=True,
        name="天津市第二技师学院", address="天津市西青区学府路 8 号",
    )  # fmt: skip
    SchoolWorkPlan.objects.filter(filing=filing).delete()
    Filing.objects.filter(pk=filing.pk).update(school_profile="")
    Attachment.objects.filter(filing=filing, item="t7_pledge").delete()
    pdf = tmp_path / "承诺书.pdf"
    pdf.write_bytes(PDF)
    base = live_server.url

    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=True):
        _login(page, base, "school")
        page.goto(f"{base}/filings/{filing.pk}/edit/")
        assert page.get_by_test_id("work-plan").is_visible()
        page.fill("#id_f-school_profile", "烹饪专业 6 个班；与 5 家酒店校企合作。")
        page.fill("#id_wp-basics", PARTS["basics"])
        page.fill("#id_occ-0-note", "仅本校学生")
        # Too early: the work plan is not complete and the 承诺书 not uploaded.
        page.get_by_test_id("submit").click()
        page.wait_for_load_state()
        alerts = " ".join(page.locator(".alert").all_inner_texts())
        assert "工作方案（附件2）" in alerts and "六、质量管控措施" in alerts
        assert "开展职业技能等级认定工作承诺书" in alerts
        # Nothing typed is lost.
        assert page.input_value("#id_wp-basics") == PARTS["basics"]
        assert page.input_value("#id_f-school_profile").startswith("烹饪专业")
        for name, text in PARTS.items():
            page.fill(f"#id_wp-{name}", text)
        page.get_by_test_id("att-t7_pledge").set_input_files(str(pdf))
        page.get_by_test_id("submit").click()
        page.wait_for_load_state()
        assert "申请已提交" in page.content(), page.locator(".alert").all_inner_texts()
        filing.refresh_from_db()
        assert filing.state == State.SUBMITTED
        assert filing.work_plan.quality == PARTS["quality"]
        assert filing.occupations.get().note == "仅本校学生"
        # The 工作方案 prints for the school.
        plan_pdf = page.request.get(f"{base}/filings/{filing.pk}/work-plan.pdf")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(plan_pdf.body())).pages).replace(
            "\n", ""
        )
        assert "技工院校职业技能等级认定工作方案" in text and "六、质量管控措施" in text

        # The city's 核验 (the expert evaluation, covered by the filing journey) is passed.
        Filing.objects.filter(pk=filing.pk).update(state=State.EVALUATED)

        _login(page, base, "centre1")
        page.goto(base + "/filings/queue/")
        page.get_by_test_id("school-record-link").click()
        page.wait_for_url("**/filings/schools/record-table/")
        page.check(f"#school-{filing.pk}")
        with page.expect_download() as download:
            page.get_by_test_id("export-xlsx").click()
        sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
        assert sheet["A1"].value == "技工院校职业技能等级认定申请备案表"
        assert [c.value for c in sheet[4]][:3] == [1, "天津市第二技师学院", "天津市西青区学府路 8 号"]
        assert sheet["F4"].value == "中式烹调师" and sheet["J4"].value == "仅本校学生"
        assert sheet["I4"].value == str(filing.occupations.get().levels_display)

        table = page.request.get(f"{base}/filings/schools/record-table/?format=pdf&id={filing.pk}")
        assert table.headers["content-type"] == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(table.body())).pages).replace("\n", "")
        assert (
            "技工院校职业技能等级认定申请备案表" in text
            and "天津市第二技师学院" in text
            and "仅本校学生" in text
        )
        page.screenshot(path=str(_artifacts() / "school-record-table.png"), full_page=True)
