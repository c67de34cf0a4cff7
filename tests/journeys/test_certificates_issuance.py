"""In a real Chromium, with a real Celery worker: an applicant's staff member opens the issuance batch,
watches the progress bar fill as the worker issues, reads the report and downloads one certificate PDF
and the whole batch. (The batch is created from code here; test_certificates_selection.py issues one
through the plan's 签发证书 page.)"""

import io
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from certificates import issuance
from certificates.models import Certificate
from tests.certificates.factories import OccupationFactory, batch, candidate, photo_bytes

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_staff_watch_a_batch_finish_and_download_pdfs(live_server, page, celery_worker, alice):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name="证书签发").first.click()
    page.wait_for_url("**/certificates/batches/")
    assert "暂无证书签发批次" in page.content()

    chef = OccupationFactory(chef=True)
    photo = photo_bytes(size=(1500, 2000))  # real work per certificate, so the bar has time to move
    b = batch(
        alice.institution,
        [candidate(n, chef, photo=photo) for n in range(60)] + [candidate(99, chef, verified_passing=False)],
        actor=alice,
        title="2026 年第一期",
    )
    issuance.enqueue(b.pk)

    page.reload()
    page.get_by_role("link", name="2026 年第一期").click()
    bar = page.get_by_test_id("batch-progressbar")
    seen = []
    report = page.get_by_test_id("batch-report")
    deadline = time.monotonic() + 180
    while not report.is_visible():
        assert time.monotonic() < deadline, "the batch did not finish"
        try:
            seen.append(int(bar.get_attribute("aria-valuenow", timeout=2000)))
        except Exception:
            pass  # the page is reloading once the batch is over
        if len(seen) == 3:
            page.screenshot(path=str(ARTIFACTS / "certificates-batch-progress.png"), full_page=True)
        time.sleep(0.2)
    assert any(value < 100 for value in seen), seen  # we watched it move, not just the end
    assert seen == sorted(seen)
    assert bar.get_attribute("aria-valuenow") == "100"
    assert "已完成" in page.get_by_test_id("batch-status").inner_text()
    assert "本批次签发证书 60 本" in report.inner_text() and "1 人不予签发" in report.inner_text()
    page.screenshot(path=str(ARTIFACTS / "certificates-batch-finished.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_test_id("certificate-pdf").first.click()
    download = download_info.value
    assert download.suggested_filename == "S000012011001263000001.pdf"
    data = Path(download.path()).read_bytes()
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "职业技能等级证书" in text and "S000012011001263000001" in text

    with page.expect_download() as download_info:
        page.get_by_test_id("batch-pdf").click()
    whole = PdfReader(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert len(whole.pages) == 60
    assert Certificate.objects.count() == 60

    page.locator(".nav-pills").get_by_role("link", name="不予签发").click()
    assert "认定结果尚未核验通过" in page.get_by_test_id("batch-items").inner_text()
