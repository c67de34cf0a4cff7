"""In a real Chromium (issue 22, finding 3): the applicant types a new name, picks one valid PDF and one
file that is not a PDF, and saves. The page names the refused file at its checklist row, keeps the
typed name, asks to select the valid file again; nothing is stored. Selecting both good files again
saves both, once."""

from pathlib import Path

import pytest

from filings.models import Attachment
from tests.filings.factories import FilingFactory
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_refused_file_is_named_at_its_field_and_the_typed_text_kept(live_server, page, tmp_path, settings):
    applicant = UserFactory(username="haihe", applicant=True)
    filing = FilingFactory(institution=applicant.institution)
    good = tmp_path / "营业执照.pdf"
    good.write_bytes(PDF)
    bad = tmp_path / "实施办法.pdf"
    bad.write_bytes(b"MZ\x90\x00 this is a program, not a PDF")

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "haihe")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")

    page.goto(f"{live_server.url}/filings/{filing.pk}/edit/")
    page.fill("input[name=f-name]", "天津市海河厨具制造有限公司（新）")
    page.get_by_test_id("att-y2_licence").set_input_files(str(good))
    page.get_by_test_id("att-y3_rules").set_input_files(str(bad))
    page.get_by_test_id("save-draft").click()
    page.wait_for_load_state()

    error = page.get_by_test_id("att-error-y3_rules")
    assert "实施办法.pdf" in error.inner_text() and "文件内容不是允许的格式" in error.inner_text()
    assert "is-invalid" in page.get_by_test_id("att-y3_rules").get_attribute("class")
    assert "重新选择" in page.get_by_test_id("att-reselect-y2_licence").inner_text()
    assert page.input_value("input[name=f-name]") == "天津市海河厨具制造有限公司（新）"
    alerts = " ".join(page.locator(".alert").all_inner_texts())
    assert "本次未保存任何内容" in alerts and "营业执照.pdf" in alerts
    error.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/uploads-filing-refused.png", full_page=True)
    page.screenshot(path="/tmp/uploads-filing-refused-field.png")
    assert not Attachment.objects.filter(filing=filing).exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]

    bad.write_bytes(PDF)
    page.get_by_test_id("att-y2_licence").set_input_files(str(good))
    page.get_by_test_id("att-y3_rules").set_input_files(str(bad))
    page.get_by_test_id("save-draft").click()
    page.wait_for_load_state()
    assert "草稿已保存" in " ".join(page.locator(".alert").all_inner_texts())
    assert sorted(Attachment.objects.filter(filing=filing).values_list("item", flat=True)) == [
        "y2_licence",
        "y3_rules",
    ]
    filing.refresh_from_db()
    assert filing.name == "天津市海河厨具制造有限公司（新）"
