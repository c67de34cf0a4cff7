"""In a real Chromium (issue 39 item 2): an institution uploads a seal with a white background and is told
to make it transparent; it uploads a proper one, the centre approves it, and the institution sees it in use
and on the sample certificate, where the seal's red lands over 评价机构（印章）."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from filings.models import Seal, SealState
from portal import roles
from tests.filings.factories_after import FiledFilingFactory
from tests.filings.seal_images import seal_png
from tests.filings.test_seals import red_box_mm
from tests.portal.factories import InstitutionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "pw-secret-123"


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def test_an_institution_puts_in_its_seal_and_sees_it_on_a_sample_certificate(live_server, page, tmp_path):
    from django.contrib.auth.models import Group

    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)
    institution = InstitutionFactory(name="天津市海河技能评价中心")
    FiledFilingFactory(institution=institution, name=institution.name)
    UserFactory(username="haihe", applicant=True, institution=institution, password=PASSWORD)
    UserFactory(username="centre1", role=roles.CENTRE, first_name="王审核", password=PASSWORD)
    white = tmp_path / "seal-white.png"
    white.write_bytes(seal_png(background=(255, 255, 255, 255)))
    good = tmp_path / "seal.png"
    good.write_bytes(seal_png())
    base = live_server.url

    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=True):
        _login(page, base, "haihe")
        page.get_by_test_id("my-seal-link").click()
        page.wait_for_url("**/filings/seal/")
        assert page.get_by_test_id("no-seal").is_visible()
        page.set_input_files("#id_image", str(white))
        page.fill("#id_reason", "首次启用")
        page.get_by_test_id("seal-submit").click()
        page.wait_for_load_state()
        assert "背景须为透明" in page.content()
        assert page.input_value("#id_reason") == "首次启用"  # what was typed stays
        page.set_input_files("#id_image", str(good))
        page.get_by_test_id("seal-submit").click()
        page.wait_for_load_state()
        assert "待鉴定中心审核" in page.content()
        assert page.get_by_test_id("seal-pending").is_visible()
        seal = Seal.objects.get()

        _login(page, base, "centre1")
        page.get_by_test_id("seal-queue-link").click()
        page.wait_for_url("**/filings/seals/queue/")
        page.get_by_test_id(f"approve-{seal.pk}").click()
        page.wait_for_load_state()
        seal.refresh_from_db()
        assert seal.state == SealState.APPROVED

        _login(page, base, "haihe")
        page.goto(base + "/filings/seal/")
        assert page.get_by_test_id("current-seal").is_visible()
        assert page.get_by_test_id(f"seal-state-{seal.pk}").inner_text() == "已启用"
        href = page.get_by_test_id("seal-preview").get_attribute("href")
        pdf = page.request.get(base + href).body()
        assert "样张" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        left, top, right, _bottom = red_box_mm(pdf)
        assert right < 297 / 2 and 90 < top < 130  # the left half, at the issuer's line
