"""In a real Chromium (issue 36 acceptance, seed 002 附件1 四(四) to 四(六)): a 鉴定 in arranged with its
scores entered; the centre publicises them (公示成绩); a visitor objects and the centre dismisses the
objection; after the publicity the enterprise reports; the 市人社局 finds it in its queue and issues the
职业资格证书; a candidate finds hers on the public lookup, the verify page says 职业资格证书 with the bureau as
issuer, and the downloaded PDF reads back with pypdf naming the bureau. Time is frozen (ticking) in the
test process, which is also the live server's process."""

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "pw-secret-123"
BUREAU = "天津市人力资源和社会保障局"


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


def test_scores_publicity_objection_report_and_the_bureaus_certificates(
    live_server, page, settings, tmp_path
):
    from django.contrib.auth.models import Group

    from appraisals.constants import State
    from certificates.models import Certificate
    from portal import roles
    from tests.appraisals.factories import World, arranged_with_roster, score_all

    for name in (roles.APPLICANT, roles.CENTRE, roles.BUREAU, roles.EXPERT):  # after a flush
        Group.objects.get_or_create(name=name)
    cache.clear()  # the public lookup's per-address budget
    settings.PORTAL_PUBLIC_URL = live_server.url

    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=True) as clock:
        world = World.build()
        appraisal = score_all(arranged_with_roster(world, n=3), world)  # 72 / 80: all three pass
        candidate = appraisal.candidates.order_by("row").first()
        detail = live_server.url + f"/appraisals/{appraisal.pk}/view/"

        # 四(四): the centre publicises the scores (Tuesday 8 to Monday 14 December).
        _login(page, live_server, world.centre.username)
        page.goto(detail)
        page.get_by_test_id("do-publicise").click()
        page.wait_for_load_state()
        assert "2026-12-14" in page.get_by_test_id("publicity").inner_text()

        # A visitor objects on the public page; the centre dismisses the objection.
        page.context.clear_cookies()
        page.goto(live_server.url + f"/appraisals/publicity/{appraisal.pk}/")
        page.fill("input[name=name]", "李四")
        page.fill("input[name=contact]", "13800000000")
        page.fill("textarea[name=text]", "第二名考生理论成绩登记有误。")
        page.get_by_test_id("do-objection").click()
        page.wait_for_load_state()
        assert "异议已提交" in page.content()
        _login(page, live_server, world.centre.username)
        page.goto(detail)
        page.select_option("select[name=resolve-upheld]", "0")
        page.fill("textarea[name=resolve-resolution]", "经核查，成绩登记无误。")
        page.get_by_test_id("do-resolve").click()
        page.wait_for_load_state()
        assert "异议已处理：异议不成立" in page.content()

        # After the publicity the enterprise reports to the centre.
        clock.move_to(datetime(2026, 12, 15, 9, 0, tzinfo=SHANGHAI))
        _login(page, live_server, world.enterprise_user.username)
        page.goto(detail)
        assert page.get_by_test_id("do-issue-certificates").count() == 0
        page.get_by_test_id("do-report").click()
        page.wait_for_load_state()
        assert "成绩已上报市鉴定中心。" in page.content()

        # 四(六): the bureau finds it in its queue and issues the 职业资格证书.
        _login(page, live_server, world.bureau.username)
        page.get_by_test_id("nav-appraisal-queue").click()
        page.get_by_test_id("queue").get_by_role("link", name=appraisal.reference).click()
        page.wait_for_url("**/appraisals/*/view/")
        page.get_by_test_id("do-issue-certificates").click()
        page.wait_for_load_state()
        assert "已核发职业资格证书 3 本。" in page.content()
        page.get_by_test_id("qualification-certificates").click()
        page.wait_for_url("**/certificates/appraisals/*/")
        rows = page.get_by_test_id("certificate-row")
        assert rows.count() == 3 and BUREAU in rows.first.inner_text()
        code = rows.first.locator("td").first.inner_text().strip()
        assert code.startswith("Z000012000000264")
        page.screenshot(path=str(_artifacts() / "appraisal-certificates.png"), full_page=True)

        # The candidate finds hers on the public lookup: 职业资格证书, issued by the bureau.
        page.context.clear_cookies()
        page.goto(live_server.url + "/certificates/lookup/")
        form = page.get_by_test_id("lookup-by-code")
        form.locator("input[name=code]").fill(code)
        form.locator("input[name=name]").fill(candidate.name)
        form.locator("button[type=submit]").click()
        page.get_by_test_id("lookup-certificate").wait_for()
        assert page.get_by_test_id("field-kind").inner_text() == "职业资格证书"
        assert page.get_by_test_id("field-issuer").inner_text() == BUREAU

        # Her e-certificate after the full ID number; it names the bureau.
        download_form = page.get_by_test_id("download-form")
        download_form.locator("input[name=id_number]").fill(candidate.id_number)
        with page.expect_download() as info:
            download_form.locator("button[type=submit]").click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(saved.read_bytes())).pages)
        assert "职业资格证书" in text and BUREAU in text and candidate.name in text

        # The verification page of its QR code says 职业资格证书 and the bureau as issuer.
        page.goto(live_server.url + "/certificates/lookup/")
        form = page.get_by_test_id("lookup-by-code")
        form.locator("input[name=code]").fill(code)
        form.locator("input[name=name]").fill(candidate.name)
        form.locator("button[type=submit]").click()
        page.goto(page.get_by_test_id("verification-link").get_attribute("href"))
        assert page.get_by_test_id("verify-result").get_attribute("data-outcome") == "valid"
        assert page.get_by_test_id("verify-heading").inner_text() == "职业资格证书核验"
        verdict = page.content()
        assert "发证机关" in verdict and BUREAU in verdict
    appraisal.refresh_from_db()
    assert appraisal.state == State.ISSUED
    assert Certificate.objects.filter(appraisal_candidate__appraisal=appraisal).count() == 3
