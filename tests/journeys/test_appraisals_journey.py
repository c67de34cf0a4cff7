"""In a real Chromium (issue 35 acceptance): a Tianjin enterprise applies for a 职业技能鉴定 of 车工 (16
中级工 candidates, a 三(一) training centre asking to adjust the questions); the 市鉴定中心 returns it once,
then passes it (the 入网备案 number shown), answers the 调整试题 request and records the questions' source;
the 市人社局 dispatches two quality supervisors by draw (the roster of 16 candidates imported first); the enterprise sees each step and downloads the
申请表, which reads back with the enterprise's name and the occupation. Time is frozen (ticking) in the
test process, which is also the live server's process."""

import io
import re
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
    page.get_by_test_id("nav-appraisal-queue").click()
    page.get_by_test_id("queue").get_by_role("link", name=reference).click()
    page.wait_for_url("**/appraisals/*/view/")


def _open_as_enterprise(page, live_server, world, reference):
    _login(page, live_server, world.enterprise_user.username)
    page.get_by_test_id("nav-appraisals").click()
    page.get_by_test_id("mine").get_by_role("link", name=reference).click()
    page.wait_for_url("**/appraisals/*/view/")


def test_an_enterprise_appraisal_from_application_to_arrangements(live_server, page, tmp_path):
    from django.contrib.auth.models import Group

    from appraisals.constants import State
    from appraisals.models import Appraisal
    from portal import roles
    from tests.appraisals.factories import World
    from tests.certification.factories import person_id, roster_xlsx
    from tests.portal.factories import id_number

    for name in (roles.APPLICANT, roles.CENTRE, roles.BUREAU, roles.EXPERT):  # after a flush
        Group.objects.get_or_create(name=name)
    world = World.build()
    evidence = tmp_path / "企业培训中心认定文件.pdf"
    evidence.write_bytes(PDF_BYTES)
    roster = tmp_path / "考生名册.xlsx"
    rows = [(f"考生{i}", person_id(3000 + i), 4, 6) for i in range(16)]
    roster.write_bytes(roster_xlsx(rows, code=world.occupation.code))

    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=True):
        # The enterprise fills in the 申请表 and the 实施方案 and submits them.
        _login(page, live_server, world.enterprise_user.username)
        page.get_by_test_id("nav-appraisals").click()
        page.get_by_test_id("new").click()
        page.fill("input[name=contact_name]", "张联系")
        page.fill("input[name=contact_phone]", "022-23456789")
        page.select_option("select[name=category]", "training_centre")
        page.set_input_files("input[name=evidence]", str(evidence))
        page.select_option("select[name=occupation]", str(world.occupation.pk))
        page.fill("input[name=starts_on]", "2027-01-11")
        page.fill("input[name=ends_on]", "2027-01-12")
        page.fill("input[name=place]", "天津市滨海新区海河装备实训车间")
        page.fill("textarea[name=equipment]", "数控车床 CK6140 二十台")
        page.fill("input[name=level_4]", "16")
        for i in range(2):
            page.fill(f"input[name=assessor_{i}_name]", f"考评员{i}")
            page.fill(f"input[name=assessor_{i}_id_number]", id_number(i + 40, "19800101", male=True))
            page.fill(f"input[name=assessor_{i}_certificate_number]", f"KP-{i:04d}")
        page.check("input[name=adjustment_requested]")
        page.fill("textarea[name=adjustment_reason]", "企业产品以大型轴类零件为主")
        page.get_by_test_id("save").click()
        page.wait_for_url(re.compile(r".*/appraisals/\d+/$"))
        # its roster: 16 中级工 candidates of 车工 with six years' work, each checked on import
        page.set_input_files("input[name=roster]", str(roster))
        page.get_by_test_id("import-roster").click()
        page.wait_for_load_state()
        assert "已导入 16 名考生" in page.content()
        assert page.get_by_test_id("candidates").locator("tbody tr").count() == 16
        page.get_by_test_id("submit").click()
        page.wait_for_url("**/appraisals/*/view/")
        assert page.get_by_test_id("state").inner_text() == "已申报，待市鉴定中心审核"
        assert "等待市鉴定中心审核" in page.get_by_test_id("next-step").inner_text()
        assert "个工作日" in page.get_by_test_id("next-step").inner_text()
        appraisal = Appraisal.objects.get()
        reference = appraisal.reference

        # The centre returns it once.
        _login(page, live_server, world.centre.username)
        _open_from_queue(page, reference)
        page.fill("textarea[name=return_for_correction-reason]", "请补充第三名考评员。")
        page.get_by_test_id("do-return_for_correction").click()
        page.wait_for_load_state()
        assert "已退回补正。" in page.content()

        # The enterprise reads the reason, corrects and submits again.
        _open_as_enterprise(page, live_server, world, reference)
        assert "请补充第三名考评员。" in page.get_by_test_id("returned").inner_text()
        page.get_by_test_id("edit").click()
        page.fill("input[name=assessor_2_name]", "考评员2")
        page.fill("input[name=assessor_2_id_number]", id_number(42, "19800101", male=True))
        page.fill("input[name=assessor_2_certificate_number]", "KP-0002")
        page.get_by_test_id("submit").click()
        page.wait_for_url("**/appraisals/*/view/")
        assert page.get_by_test_id("state").inner_text() == "已申报，待市鉴定中心审核"
        assert "考评员2" in page.get_by_test_id("assessors").inner_text()

        # The centre passes it: the 入网备案 number is shown; it answers 调整试题 and records the source.
        _login(page, live_server, world.centre.username)
        _open_from_queue(page, reference)
        page.get_by_test_id("do-file").click()
        page.wait_for_load_state()
        assert "JD20260001" in page.content()
        assert "JD20260001" in page.get_by_test_id("record-number").inner_text()
        page.select_option("select[name=answer_adjustment-granted]", "1")
        page.fill("textarea[name=answer_adjustment-reason]", "同意结合企业产品调整操作试题。")
        page.get_by_test_id("do-answer_adjustment").click()
        page.wait_for_load_state()
        assert "已答复调整试题申请。" in page.content()
        page.select_option("select[name=record_questions-source]", "experts")
        page.get_by_test_id("do-record_questions").click()
        page.wait_for_load_state()
        assert "已记录考试命题。" in page.content()
        assert page.get_by_test_id("state").inner_text() == "已命题，待派遣质量督导员"

        # The enterprise sees it filed, with the number and the questions' source.
        _open_as_enterprise(page, live_server, world, reference)
        assert "JD20260001" in page.get_by_test_id("record-number").inner_text()
        assert "组织专家修订编制" in page.get_by_test_id("questions").inner_text()
        assert "等待市人社局派遣质量督导员" in page.get_by_test_id("next-step").inner_text()

        # The bureau draws two supervisors.
        _login(page, live_server, world.bureau.username)
        _open_from_queue(page, reference)
        page.select_option("select[name=dispatch-how]", "draw")
        page.fill("input[name=dispatch-count]", "2")
        page.get_by_test_id("do-dispatch").click()
        page.wait_for_load_state()
        assert "已派遣质量督导员。" in page.content()

        # The enterprise sees the arrangements and downloads the 申请表.
        _open_as_enterprise(page, live_server, world, reference)
        assert page.get_by_test_id("state").inner_text() == "考务已安排，待录入成绩"
        assert page.get_by_test_id("supervisors").locator("li").count() == 2
        assert world.own_employee.name not in page.get_by_test_id("supervisors").inner_text()
        trail = page.get_by_test_id("trail").inner_text()
        assert "请补充第三名考评员。" in trail and "派遣质量督导员" in trail
        page.screenshot(path=str(_artifacts() / "appraisals-arranged.png"), full_page=True)
        with page.expect_download() as download_info:
            page.get_by_test_id("pdf").click()
        data = Path(download_info.value.path()).read_bytes()

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "")
    assert "职业技能鉴定申请表" in text and "天津市海河装备制造有限公司" in text and "车工" in text
    assert "JD20260001" in text
    appraisal.refresh_from_db()
    assert appraisal.state == State.ARRANGED and appraisal.supervisors.count() == 2


def test_appraisal_scores_publicity_objection_and_report(live_server, page, tmp_path):
    """Issue 36 slice 1 (附件1 四(四) 成绩认定): the centre enters the theory scores one by one, the enterprise
    uploads the practical score sheet for its 考评员; the centre publicises; a visitor reads the results
    with the names masked and objects; the report is held until the centre dismisses the objection; after
    the publicity the enterprise reports, the clock on its page."""
    from django.contrib.auth.models import Group

    from appraisals.constants import State
    from portal import roles
    from tests.appraisals.factories import World, arranged_with_roster

    for name in (roles.APPLICANT, roles.CENTRE, roles.BUREAU, roles.EXPERT):  # after a flush
        Group.objects.get_or_create(name=name)

    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=True) as clock:
        world = World.build()
        appraisal = arranged_with_roster(world, n=3)
        people = list(appraisal.candidates.all())
        sheet = tmp_path / "技能操作成绩.csv"
        sheet.write_text(
            "姓名,身份证号码,技能操作成绩\n"
            + "".join(f"{c.name},{c.id_number},{80 - i * 11}\n" for i, c in enumerate(people)),
            encoding="utf-8-sig",
        )

        # The centre enters the theory scores one by one.
        _login(page, live_server, world.centre.username)
        page.goto(live_server.url + f"/appraisals/{appraisal.pk}/view/")
        page.get_by_test_id("scores").click()
        page.wait_for_url("**/scores/")
        for i in range(3):
            form = page.get_by_test_id("score-form").nth(i)
            form.locator("input[name=score]").fill(str(60 + i))
            form.get_by_role("button").click()
            page.wait_for_load_state()
        assert "已录入" in page.content()

        # The enterprise uploads the practical scores (80, 69, 58: the third fails).
        _open_as_enterprise(page, live_server, world, appraisal.reference)
        page.get_by_test_id("scores").click()
        page.set_input_files("input[name=sheet]", str(sheet))
        page.get_by_test_id("upload-scores").click()
        page.wait_for_load_state()
        assert "已导入 3 名考生的成绩" in page.content()
        rows = page.get_by_test_id("scores").locator("tbody tr")
        assert "不合格" in rows.nth(2).inner_text() and "合格" in rows.nth(0).inner_text()

        # The centre publicises: Tuesday 8 to Monday 14 December.
        _login(page, live_server, world.centre.username)
        page.goto(live_server.url + f"/appraisals/{appraisal.pk}/view/")
        page.get_by_test_id("do-publicise").click()
        page.wait_for_load_state()
        assert "2026-12-14" in page.get_by_test_id("publicity").inner_text()

        # A visitor reads the results, masked, and objects.
        page.context.clear_cookies()
        page.goto(live_server.url + "/appraisals/publicity/")
        page.get_by_test_id("publicity-list").get_by_role("link").first.click()
        results = page.get_by_test_id("publicity-results").inner_text()
        assert "王**" in results and people[0].name not in results and people[0].id_number not in results
        page.fill("input[name=name]", "李四")
        page.fill("input[name=contact]", "13800000000")
        page.fill("textarea[name=text]", "第三名考生技能操作成绩登记有误。")
        page.get_by_test_id("do-objection").click()
        page.wait_for_load_state()
        assert "异议已提交" in page.content()

        # After the publicity the objection still holds the report.
        clock.move_to(datetime(2026, 12, 15, 9, 0, tzinfo=SHANGHAI))
        _open_as_enterprise(page, live_server, world, appraisal.reference)
        assert "暂不能上报" in page.get_by_test_id("open-objections").inner_text()
        page.get_by_test_id("do-report").click()
        page.wait_for_load_state()
        assert "异议尚未处理完毕" in page.content()

        # The centre dismisses it; the enterprise reports within the 5 working days.
        _login(page, live_server, world.centre.username)
        page.goto(live_server.url + f"/appraisals/{appraisal.pk}/view/")
        page.select_option("select[name=resolve-upheld]", "0")
        page.fill("textarea[name=resolve-resolution]", "经核查，成绩登记无误。")
        page.get_by_test_id("do-resolve").click()
        page.wait_for_load_state()
        assert "异议已处理：异议不成立" in page.content()
        _open_as_enterprise(page, live_server, world, appraisal.reference)
        assert "2026-12-22" in page.get_by_test_id("report-clock").inner_text()
        page.get_by_test_id("do-report").click()
        page.wait_for_load_state()
        assert "成绩已上报市鉴定中心。" in page.content()
        assert page.get_by_test_id("state").inner_text() == "成绩已上报市鉴定中心"
        page.screenshot(path=str(_artifacts() / "appraisals-reported.png"), full_page=True)
    appraisal.refresh_from_db()
    assert appraisal.state == State.REPORTED
