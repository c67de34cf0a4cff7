"""Issue 39 item 3 in a real Chromium: an institution uploads a candidate's photo taken in front of a
checked wallpaper and is told why it is refused (the background must be plain white, seed 004 附件6 3);
a 2-inch portrait on white is then accepted. In the photo ZIP each file gets its own reason."""

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from certification.constants import PHOTO_BORDER_MIN_WHITE_PERCENT
from tests.certificates.factories import photo_bytes
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution
from tests.certification.test_photo_check import patterned

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_patterned_photo_is_refused_with_the_reason_then_a_good_one_accepted(
    live_server, page, alice, tmp_path
):
    ARTIFACTS.mkdir(exist_ok=True)
    filed_institution(alice.institution, levels="345")
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[4], title="2026年第十一期认定")
    candidate = CandidateFactory(plan=plan, name="甲一")
    other = CandidateFactory(plan=plan, name="乙二")

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")

    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/candidates/{candidate.pk}/")
    expect(page.get_by_test_id("photo-requirements")).to_contain_text("至少 295×413 像素")
    wallpaper = tmp_path / "墙纸.jpg"
    wallpaper.write_bytes(patterned())
    page.set_input_files("input[name=photo]", str(wallpaper))
    page.get_by_test_id("upload-photo").click()
    expect(page.get_by_text("照片背景须为纯白色")).to_be_visible()
    expect(page.get_by_text(f"至少须 {PHOTO_BORDER_MIN_WHITE_PERCENT}%")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "certification-photo-refused.png"), full_page=True)
    candidate.refresh_from_db()
    assert not candidate.photo

    portrait = tmp_path / "证件照.jpg"
    portrait.write_bytes(photo_bytes())
    page.set_input_files("input[name=photo]", str(portrait))
    page.get_by_test_id("upload-photo").click()
    expect(page.get_by_text("照片已上传。")).to_be_visible()
    candidate.refresh_from_db()
    assert candidate.photo

    # the ZIP import: the same check, a reason per file
    archive = tmp_path / "照片.zip"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as bundle:
        bundle.writestr(f"{other.id_number}.jpg", photo_bytes(size=(300, 400)))
    archive.write_bytes(out.getvalue())
    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/")
    page.set_input_files("[data-testid=photos-zip-form] input[name=file]", str(archive))
    page.get_by_test_id("photos-zip-submit").click()
    expect(page.get_by_test_id("photo-result")).to_contain_text("照片太小（300×400 像素）")
    page.screenshot(path=str(ARTIFACTS / "certification-photo-zip-refused.png"), full_page=True)
