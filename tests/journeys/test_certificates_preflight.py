"""Issue 29 item 1 in a real Chromium: the institution opens 签发证书 on a verified plan where one
candidate has no photo; the pre-flight says so (1 人可发证，1 人需处理, 缺 in the photo column, the box
not tickable), the 补充照片 link leads to the candidate's page, where the missing photo is added after
verification; back on 签发证书 both may be issued, and the batch issues both."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate, IssuanceBatch
from certification.constants import Verification
from portal.models import AuditEvent
from tests.certificates.factories import photo_bytes
from tests.certificates.test_selection import photo
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_preflight_warns_then_missing_photo_is_added_and_issued(live_server, page, alice, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ARTIFACTS.mkdir(exist_ok=True)
    filed_institution(alice.institution, levels="345")
    # seed 001 第十六条(四): issuable once uploaded and published (was: verified)
    plan = PlanFactory(institution=alice.institution, uploaded=True, levels=[4], title="2026年第十期认定")
    CandidateFactory(plan=plan, name="甲一", verification=Verification.ACCEPTED, passed=True, photo=photo(0))
    CandidateFactory(plan=plan, name="乙二", verification=Verification.ACCEPTED, passed=True)

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")

    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/")
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("preflight-summary")).to_contain_text("1 人可发证，1 人需处理")
    expect(page.get_by_test_id("photo-cell").nth(1)).to_have_text("缺")
    expect(page.get_by_label("乙二")).to_be_disabled()
    expect(page.get_by_test_id("selected-count")).to_have_text("1")
    page.screenshot(path=str(ARTIFACTS / "certificates-preflight.png"), full_page=True)

    page.get_by_test_id("fix-photo").click()
    page.wait_for_url("**/candidates/*/")
    expect(page.get_by_test_id("photo-after-verification")).to_be_visible()
    picture = tmp_path / "p.jpg"
    picture.write_bytes(photo_bytes())
    page.set_input_files("input[name=photo]", str(picture))
    page.get_by_test_id("upload-photo").click()
    expect(page.get_by_text("照片已上传。")).to_be_visible()
    assert AuditEvent.objects.filter(event="certification_photo_added_after_verification").count() == 1

    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/")
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("preflight-summary")).to_contain_text("2 人可发证，0 人需处理")
    expect(page.get_by_test_id("selected-count")).to_have_text("2")
    page.get_by_test_id("issue-selected").click()
    page.wait_for_url("**/certificates/batches/*/")
    expect(page.get_by_test_id("batch-status")).to_have_text("已完成")
    page.screenshot(path=str(ARTIFACTS / "certificates-preflight-batch.png"), full_page=True)

    batch = IssuanceBatch.objects.get()
    assert batch.issued_count == 2 and batch.refused_count == 0
    assert sorted(Certificate.objects.values_list("holder_name", flat=True)) == ["乙二", "甲一"]


def test_photos_as_one_zip_then_issue(live_server, page, alice, settings, tmp_path):
    """The 批量上传照片 link of the pre-flight leads to the plan page's ZIP upload; each file gets its
    result (one saved, one not a candidate of the plan), and the candidate can then be issued."""
    import zipfile

    settings.CELERY_TASK_ALWAYS_EAGER = True
    filed_institution(alice.institution, levels="345")
    # seed 001 第十六条(四): issuable once uploaded and published (was: verified)
    plan = PlanFactory(institution=alice.institution, uploaded=True, levels=[4], title="2026年第十一期认定")
    missing = CandidateFactory(plan=plan, name="丙三", verification=Verification.ACCEPTED, passed=True)
    archive = tmp_path / "照片.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(f"{missing.id_number}.jpg", photo_bytes())
        bundle.writestr("110101199003070011.jpg", photo_bytes())  # valid, but nobody of this plan

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")

    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/")
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("preflight-summary")).to_contain_text("0 人可发证，1 人需处理")
    page.get_by_test_id("photos-zip-link").click()
    expect(page.get_by_test_id("photos-missing")).to_contain_text("1 名考生尚无照片")
    page.set_input_files("[data-testid=photos-zip-form] input[name=file]", str(archive))
    page.get_by_test_id("photos-zip-submit").click()
    results = page.get_by_test_id("photo-result")
    expect(results).to_have_count(2)
    expect(results.nth(0)).to_contain_text("已保存")
    expect(results.nth(1)).to_contain_text("本方案没有该身份证号码的考生")
    expect(page.get_by_test_id("photos-missing")).to_contain_text("所有考生均已上传照片")
    page.screenshot(path=str(ARTIFACTS / "certification-photos-zip.png"), full_page=True)

    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("preflight-summary")).to_contain_text("1 人可发证，0 人需处理")
    page.get_by_test_id("issue-selected").click()
    page.wait_for_url("**/certificates/batches/*/")
    expect(page.get_by_test_id("batch-status")).to_have_text("已完成")
    assert list(Certificate.objects.values_list("holder_name", flat=True)) == ["丙三"]
