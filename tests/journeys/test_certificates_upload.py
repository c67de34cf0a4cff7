"""seed 001 第十六条(四) in a real Chromium: certificates are issued from what the ministry centre's site
published. A plan whose results the centre verified is not yet issuable: the institution's plan page says
why and what is awaited (citing the clause by the notice's title) and offers no 签发证书. The centre
records the upload and the publication on the plan page; then the institution issues the certificates."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import Certificate, IssuanceBatch
from certification.constants import State, Verification
from certification.models import AssessmentPlan
from tests.certificates.test_selection import photo
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NOTICE = "《天津市职业技能等级认定工作管理办法（试行）》第十六条(四)"


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def test_seed_001_16_4_results_cannot_be_issued_before_upload_and_can_after(
    live_server, page, alice, carol, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ARTIFACTS.mkdir(exist_ok=True)
    filed_institution(alice.institution, levels="345")
    plan = PlanFactory(institution=alice.institution, verified=True, levels=[4], title="2026年第十二期认定")
    for i, name in enumerate(["甲一", "乙二"]):
        CandidateFactory(
            plan=plan, name=name, verification=Verification.ACCEPTED, passed=True, photo=photo(i)
        )
    plan_url = f"{live_server.url}/certification/plans/{plan.pk}/"

    # Verified, not uploaded: the institution is told why issuing is closed and what is awaited.
    log_in(page, live_server, "alice")
    page.goto(plan_url)
    closed = page.get_by_test_id("issuing-closed")
    expect(closed).to_contain_text("正等待市鉴定中心将认定合格信息上传部鉴定中心并在部鉴定中心网站公布")
    expect(closed).to_contain_text(NOTICE)
    expect(page.get_by_test_id("issue")).to_have_count(0)
    assert "seed 00" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "certificates-upload-awaited.png"), full_page=True)
    page.goto(f"{live_server.url}/certificates/batches/")  # the 证书签发批次 page names it too
    expect(page.get_by_test_id("awaiting-plan")).to_contain_text("2026年第十二期认定")
    expect(page.get_by_test_id("awaiting-upload")).to_contain_text(NOTICE)

    # The centre records the upload and the publication on the ministry centre's site.
    log_in(page, live_server, "carol")
    page.goto(plan_url)
    form = page.get_by_test_id("uploaded-form")
    today = timezone.localdate().isoformat()
    form.locator("input[name=uploaded_on]").fill(today)
    form.locator("input[name=published_on]").fill(today)
    form.locator("input[name=note]").fill("部鉴定中心网站 2026 年第 12 批")
    page.screenshot(path=str(ARTIFACTS / "certificates-upload-form.png"), full_page=True)
    page.get_by_test_id("uploaded").click()
    expect(page.get_by_test_id("publication")).to_contain_text("部鉴定中心网站于")
    expect(page.get_by_test_id("plan-state")).to_have_text(str(State.UPLOADED.label))
    plan.refresh_from_db()
    assert plan.state == State.UPLOADED and plan.published_on == timezone.localdate()

    # Uploaded and published: the institution issues the certificates.
    log_in(page, live_server, "alice")
    page.goto(plan_url)
    expect(page.get_by_test_id("issuing-closed")).to_have_count(0)
    page.goto(f"{live_server.url}/certificates/batches/")
    expect(page.get_by_test_id("awaiting-upload")).to_have_count(0)
    page.goto(plan_url)
    page.get_by_test_id("issue").click()
    rows = page.get_by_test_id("selection-row")
    rows.first.wait_for()
    assert rows.count() == 2
    page.get_by_test_id("issue-selected").click()
    page.wait_for_url("**/certificates/batches/*/")
    assert "已提交证书签发批次（2 人）" in page.content()
    page.screenshot(path=str(ARTIFACTS / "certificates-upload-issued.png"), full_page=True)
    assert IssuanceBatch.objects.get().total == 2
    assert sorted(Certificate.objects.values_list("holder_name", flat=True)) == ["乙二", "甲一"]
    assert AssessmentPlan.objects.get(pk=plan.pk).state == State.UPLOADED
