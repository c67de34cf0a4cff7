"""In a real Chromium, the whole filing journey of issue 4: an applicant registers, fills the whole form
with two occupations and attachments, saves a draft and submits; the centre passes the review and draws
three experts, who score; the centre concludes, the bureau approves; publicity opens and ends (time
moved, the daily task run); the centre records the filing; the filing shows 已备案 with its
institution code and validity dates.

Time is frozen (ticking) in the test process, which is also the live server's process."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from filings import tasks
from filings.models import Filing
from portal import roles
from portal.models import Occupation
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "pw-secret-123"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _artifacts() -> Path:
    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def _login(page, base, username, password=PASSWORD):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def _act(page, action, comment=""):
    if comment:
        page.get_by_test_id("comment").fill(comment)
    page.get_by_test_id(f"act-{action}").click()
    page.wait_for_load_state()
    assert "操作成功" in page.content() or action == "draw", page.locator(".alert").all_inner_texts()


def reference_world():
    """The roles' groups and the reference data (occupations) a filing journey needs; also used by
    test_keyboard_filing.py."""
    from django.contrib.auth.models import Group

    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)
    call_command("load_reference", verbosity=0)


def test_registration_to_filed(live_server, page, tmp_path):
    reference_world()
    UserFactory(username="centre1", role=roles.CENTRE, first_name="王审核")
    UserFactory(username="bureau1", role=roles.BUREAU, first_name="李处长")
    for n in range(1, 4):
        UserFactory(username=f"expert{n}", role=roles.EXPERT, first_name=f"专家{n}")
    cook = Occupation.objects.get(code="4-03-02-01")
    turner = Occupation.objects.get(code="6-18-01-01")
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(PDF)
    base = live_server.url

    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=True) as clock:
        # 1. The applicant registers.
        page.goto(base + "/register/")
        page.fill("input[name=username]", "haihe")
        page.fill("input[name=institution_name]", "天津市海河厨具制造有限公司")
        from tests.portal.factories import credit_code

        page.fill("input[name=credit_code]", credit_code(424242))
        page.fill("input[name=contact_name]", "张联系")
        page.fill("input[name=contact_phone]", "022-23456789")
        page.fill("input[name=email]", "haihe@example.org")
        page.fill("input[name=password1]", "Haihe-2026-pass")
        page.fill("input[name=password2]", "Haihe-2026-pass")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/dashboard/")

        # 2. A new application, the whole form.
        page.goto(base + "/filings/")
        page.get_by_test_id("new-filing").click()
        page.wait_for_url("**/edit/")
        page.fill("#id_f-address", "天津市河西区友谊路 20 号")
        page.fill("#id_f-registration_authority", "天津市市场监督管理委员会")
        page.fill("#id_f-legal_representative", "张法人")
        page.fill("#id_f-registered_capital", "5000 万元")
        page.fill("#id_f-contact_title", "人力资源部部长")
        page.fill("#id_f-advantages", "参与编写行业培训教材 3 部。")
        page.fill("#id_f-site_description", "实操考场 1,200 平方米，工位 60 个。")
        page.fill("#id_f-it_description", "考务计算机 80 台，全程视频监控。")
        page.select_option("#id_occ-0-occupation", str(cook.pk))
        for level in ("3", "4", "5"):
            page.check(f"input[name='occ-0-level_choices'][value='{level}']")
        page.fill("#id_occ-0-start_date", "2015-03-01")
        page.fill("#id_occ-0-person_times", "1200")
        page.get_by_test_id("occupations-add").click()
        page.select_option("#id_occ-1-occupation", str(turner.pk))
        for level in ("4", "5"):
            page.check(f"input[name='occ-1-level_choices'][value='{level}']")
        page.fill("#id_occ-1-person_times", "800")
        page.fill("#id_eq-0-name", "数控车床")
        page.fill("#id_eq-0-quantity", "12")
        for i, role in enumerate(("staff", "expert", "assessor", "supervisor")):
            from tests.portal.factories import id_number

            page.fill(f"#id_p_{role}-0-name", f"人员{i}")
            page.fill(f"#id_p_{role}-0-id_number", id_number(i))
        page.get_by_test_id("att-y2_licence").set_input_files(str(pdf))
        page.check("#id_f-pledge_accepted")
        page.fill("#id_f-pledge_signatory", "张法人")
        page.get_by_test_id("save-draft").click()
        page.wait_for_load_state()
        assert "草稿已保存" in page.content()
        filing = Filing.objects.get(name="天津市海河厨具制造有限公司")
        assert filing.occupations.count() == 2 and filing.attachments.count() == 1
        # Submitting with two checklist items missing says which.
        page.get_by_test_id("submit").click()
        page.wait_for_load_state()
        assert "五、申报材料" in page.content()
        page.get_by_test_id("att-y1_form").set_input_files(str(pdf))
        page.get_by_test_id("att-y3_rules").set_input_files(str(pdf))
        page.screenshot(path=str(_artifacts() / "filings-application-form.png"), full_page=True)
        page.get_by_test_id("submit").click()
        page.wait_for_url(f"**/filings/{filing.pk}/")
        assert page.get_by_test_id("state").inner_text() == "待初审"

        # 3. The centre passes the preliminary review and draws three experts.
        _login(page, base, "centre1")
        page.goto(base + "/filings/queue/submitted/")
        page.screenshot(path=str(_artifacts() / "filings-queue.png"), full_page=True)
        page.get_by_role("link", name="天津市海河厨具制造有限公司").click()
        _act(page, "pass", "材料齐全。")
        _act(page, "draw")
        assert page.get_by_test_id("reviews").locator("tbody tr").count() == 3

        # 4. Each expert scores.
        for n in range(1, 4):
            _login(page, base, f"expert{n}")
            page.goto(base + "/filings/expert/")
            page.get_by_test_id(f"score-{filing.pk}").click()
            page.fill("input[name=material]", str(80 + n))
            page.fill("input[name=onsite]", "85")
            page.fill("input[name=qa]", "88")
            page.fill("textarea[name=opinion]", "材料齐全，场地设备满足要求。")
            page.check("input[name=recommend][value='1']")
            if n == 1:
                page.screenshot(path=str(_artifacts() / "filings-expert-score.png"), full_page=True)
            page.get_by_test_id("submit-score").click()
            page.wait_for_url("**/filings/expert/")

        # 5. The centre concludes, the bureau approves.
        _login(page, base, "centre1")
        page.goto(base + f"/filings/{filing.pk}/")
        _act(page, "recommend", "专家评估平均分 85 分，建议予以备案。")
        _login(page, base, "bureau1")
        page.goto(base + f"/filings/{filing.pk}/")
        _act(page, "approve", "同意。")
        filing.refresh_from_db()
        assert str(filing.publicity_start) == "2026-03-03" and str(filing.publicity_end) == "2026-03-09"

        # 6. Publicity opens on its first day and ends: time moved, the daily task run.
        clock.move_to(datetime(2026, 3, 3, 0, 30, tzinfo=SHANGHAI))
        assert tasks.run_daily_deadlines()["opened"] == 1
        page.goto(base + "/filings/publicity/")
        assert "天津市海河厨具制造有限公司" in page.get_by_test_id("publicity").inner_text()
        page.screenshot(path=str(_artifacts() / "filings-publicity.png"), full_page=True)
        clock.move_to(datetime(2026, 3, 10, 0, 30, tzinfo=SHANGHAI))
        assert tasks.run_daily_deadlines()["closed"] == 1

        # 7. The centre reports to the ministry centre and records the publication on its system, then
        # issues the notice with the code (seed 001 第十条(五)).
        _login(page, base, "centre1")
        page.goto(base + f"/filings/{filing.pk}/")
        page.get_by_test_id("ministry-report").fill("已报部鉴定中心备案。")
        page.get_by_test_id("published-on").fill("2026-03-10")
        _act(page, "publish")
        assert page.get_by_test_id("state").inner_text() == "部系统已公布"
        page.get_by_test_id("city-code").fill("03")
        _act(page, "record")
        assert page.get_by_test_id("state").inner_text() == "已备案"
        assert page.get_by_test_id("institution-code").inner_text() == "Y000012033001"
        assert page.get_by_test_id("validity").inner_text() == "2026-03-10 — 2029-03-09"
        page.screenshot(path=str(_artifacts() / "filings-filed.png"), full_page=True)

        # The applicant sees the same, with the timeline.
        _login(page, base, "haihe", "Haihe-2026-pass")
        page.goto(base + f"/filings/{filing.pk}/")
        assert page.get_by_test_id("state").inner_text() == "已备案"
        assert "准予备案" in page.get_by_test_id("timeline").inner_text()
        assert "随机抽取评估专家" not in page.get_by_test_id("timeline").inner_text()  # internal note hidden
        page.screenshot(path=str(_artifacts() / "filings-filed-applicant.png"), full_page=True)
