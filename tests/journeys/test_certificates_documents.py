"""In a real Chromium (issue 43 slice 3): a Hong Kong resident (港澳居民来往内地通行证) and a foreigner (护照)
are issued certificates by a batch; a visitor finds each on the public lookup by type, number and name
(the number masked by its type's rule; a wrong name answers as an unknown number); the centre links the
foreigner's passport to a resident ID and exports the certificates, whose 证件类型 column reads right.
(The roster import with these two people is tested in tests/certification/test_documents.py.)"""

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from certificates import issuance
from certificates.models import Certificate
from portal.identifiers import mask_document
from tests.certificates.factories import ISSUE_DATE, OccupationFactory, batch, candidate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HK_PERMIT = "H12345678"
PASSPORT = "USA123456789"


def look_up(page, url, kind_label, number, name):
    page.goto(url + "/certificates/lookup/")
    form = page.get_by_test_id("lookup-by-id")
    form.get_by_label("证件类型").select_option(label=kind_label)
    form.locator("input[name=id_number]").fill(number)
    form.locator("input[name=name]").fill(name)
    form.locator("button[type=submit]").click()
    page.get_by_test_id("lookup-result").wait_for()


def test_a_hong_kong_resident_and_a_foreigner_find_their_certificates(live_server, page, alice, carol):
    ARTIFACTS.mkdir(exist_ok=True)
    cache.clear()
    chef = OccupationFactory(chef=True)
    b = batch(
        alice.institution,
        [
            candidate(0, chef, name="陈大文", sex="男", document_kind="hk_macao_permit", id_number=HK_PERMIT),
            candidate(
                1, chef, name="JOHN SMITH", sex="男", document_kind="passport", id_number="usa 123456789"
            ),
        ],
        actor=alice,
    )
    issuance.run_batch(b.pk)
    hk = Certificate.objects.get(holder_name="陈大文")
    foreigner = Certificate.objects.get(holder_name="JOHN SMITH")

    # 1. Each finds the certificate by type, number and name; the number is masked by its type's rule.
    for cert, label, number, name in (
        (hk, "港澳居民来往内地通行证", "h1234 5678", "陈大文"),
        (foreigner, "护照", PASSPORT, "JOHN SMITH"),
    ):
        look_up(page, live_server.url, label, number, name)
        assert page.get_by_test_id("field-code").inner_text() == cert.code
        assert page.get_by_test_id("field-document-kind").inner_text() == label
        assert page.get_by_test_id("field-id").inner_text() == mask_document(
            cert.document_kind, cert.id_number
        )
    page.screenshot(path=str(ARTIFACTS / "certificates-lookup-passport.png"), full_page=True)

    # 2. A right number with a wrong name reads as an unknown number.
    look_up(page, live_server.url, "护照", PASSPORT, "JANE SMITH")
    wrong_name = page.get_by_test_id("lookup-result").inner_text()
    look_up(page, live_server.url, "护照", "USA999999999", "JOHN SMITH")
    assert page.get_by_test_id("lookup-result").inner_text() == wrong_name
    assert page.get_by_test_id("not-found").is_visible()

    # 3. The centre links the foreigner's passport to a resident ID of the same person.
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")
    page.goto(live_server.url + f"/certificates/lookup/staff/c/{foreigner.code}/")
    assert page.get_by_test_id("document-kind").inner_text() == "护照"
    form = page.get_by_test_id("link-form")
    form.get_by_label("关联证件类型").select_option(label="外国人永久居留身份证")
    form.get_by_label("关联证件号码").fill("USA123456789012")
    form.get_by_label("关联依据").fill("核验了护照和永久居留身份证原件")
    form.locator("button[type=submit]").click()
    assert "外国人永久居留身份证 USA123456789012" in page.get_by_test_id("linked-documents").inner_text()

    # 4. The export's 证件类型 column carries each holder's document type.
    page.goto(live_server.url + "/certificates/lookup/staff/export/")
    form = page.get_by_test_id("export-form")
    form.get_by_label("发证日期自").fill(ISSUE_DATE.isoformat())
    form.get_by_label("发证日期至").fill(ISSUE_DATE.isoformat())
    with page.expect_download() as info:
        form.locator("button[type=submit]").click()
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))["证书数据"]
    rows = {row[1]: (row[4], row[5]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {hk.code: ("港澳居民来往内地通行证", HK_PERMIT), foreigner.code: ("护照", PASSPORT)}

    # 5. Logged out, the visitor finds the foreigner's certificate by the linked document too.
    page.context.clear_cookies()
    look_up(page, live_server.url, "外国人永久居留身份证", "USA123456789012", "JOHN SMITH")
    assert page.get_by_test_id("field-code").inner_text() == foreigner.code
