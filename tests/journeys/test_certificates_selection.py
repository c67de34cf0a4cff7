"""In a real Chromium, under the portal's Content-Security-Policy (no 'unsafe-inline' scripts; set by
portal.middleware on every response): the institution's user opens
签发证书 on a verified plan, sees every verified passing candidate ticked, picks two of three with the
select-none button and two ticks, and lands on the batch of exactly those two."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate, IssuanceBatch
from certification.constants import Verification
from tests.certificates.test_selection import photo
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_institution_user_picks_two_of_three(live_server, page, alice, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ARTIFACTS.mkdir(exist_ok=True)
    filed_institution(alice.institution, levels="345")
    # seed 001 第十六条(四): issuable once uploaded and published (was: verified)
    plan = PlanFactory(institution=alice.institution, uploaded=True, levels=[4], title="2026年第九期认定")
    for i, name in enumerate(["甲一", "乙二", "丙三"]):
        CandidateFactory(
            plan=plan, name=name, verification=Verification.ACCEPTED, passed=True, photo=photo(i)
        )
    CandidateFactory(
        plan=plan, name="丁四", verification=Verification.ACCEPTED, theory_score=40, practical_score=90
    )

    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")

    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/")
    page.get_by_test_id("issue").click()
    rows = page.get_by_test_id("selection-row")
    rows.first.wait_for()
    assert rows.count() == 3 and "丁四" not in page.content()
    count = page.get_by_test_id("selected-count")
    expect(count).to_have_text("3")  # the script ran: the count is filled in and the buttons shown
    page.get_by_role("button", name="全不选").click()
    expect(count).to_have_text("0")
    page.get_by_label("甲一").check()
    page.get_by_label("丙三").check()
    expect(count).to_have_text("2")
    page.screenshot(path=str(ARTIFACTS / "certificates-selection.png"), full_page=True)
    page.get_by_test_id("issue-selected").click()
    page.wait_for_url("**/certificates/batches/*/")
    assert "已提交证书签发批次（2 人）" in page.content()
    page.screenshot(path=str(ARTIFACTS / "certificates-selection-batch.png"), full_page=True)

    batch = IssuanceBatch.objects.get()
    assert batch.total == 2
    assert sorted(Certificate.objects.values_list("holder_name", flat=True)) == ["丙三", "甲一"]
    assert blocked == []
