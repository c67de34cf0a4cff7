"""In a real Chromium (issue 43, the acceptance journey): the institution imports a plan roster with a
证件类型 column on the plan page — a Hong Kong resident (港澳居民来往内地通行证 h1234 5678) and a foreigner
(护照, country and number typed usa-123456789) — and sees both on the plan's roster with their document
type and the number masked by its type's rule; their photos go up as one ZIP, each file named by the
document's number (masked in the results). The plan then goes to issuance through the workflow's own
services on past dates (submit, approve, scores matched by type and number, report, verify, upload and
publication) and the certificates are issued from that plan's imported candidates
(certificates.plan_issuing). A visitor finds each certificate on the public lookup by type, number and
name (a wrong name answers exactly as an unknown number); the centre links the foreigner's passport to a
permanent residence ID and exports the certificates, whose 证件类型 column reads right; logged out, the
linked document finds the certificate too."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from certificates import issuance, plan_issuing
from certificates.models import Certificate
from certification import imports, issuable, rules, workflow
from certification.constants import Verification
from portal import workdays
from portal.identifiers import DocumentKind, mask_document
from tests.certificates.factories import photo_bytes
from tests.certification.factories import OCCUPATION_CODE, PlanFactory, filed_institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HK_PERMIT = "H12345678"
PASSPORT = "USA123456789"
ROSTER_HEADER = [
    "姓名",
    "证件号码",
    "证件类型",
    "出生日期",
    "性别",
    "职业代码",
    "申报等级",
    "从事本职业年限",
    "与本单位关系",
]


def workbook_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def roster() -> bytes:
    """The plan roster as an institution fills it in: the numbers typed as people write them."""
    tail = (OCCUPATION_CODE, 4, 6, "本单位职工")  # occupation, level, years, relation to the institution
    return workbook_bytes(
        ROSTER_HEADER,
        [
            ("陈大文", "h1234 5678", "港澳居民来往内地通行证", "1988-05-06", "男", *tail),
            ("JOHN SMITH", "usa-123456789", "护照", "1985-02-03", "男", *tail),
        ],
    )


def photos_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("h12345678.jpg", photo_bytes())
        archive.writestr("USA-123456789.jpg", photo_bytes())
    return out.getvalue()


def login(page, url, username):
    page.goto(url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-secret-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def look_up(page, url, kind_label, number, name):
    page.goto(url + "/certificates/lookup/")
    form = page.get_by_test_id("lookup-by-id")
    form.get_by_label("证件类型").select_option(label=kind_label)
    form.locator("input[name=id_number]").fill(number)
    form.locator("input[name=name]").fill(name)
    form.locator("button[type=submit]").click()
    page.get_by_test_id("lookup-result").wait_for()


def to_issuance(plan, institution_user, centre_user, submitted_on):
    """The steps between the roster and 签发证书, through the workflow's services on their own dates (all
    in the past): submitted, approved, scores by type and number, reported, verified, uploaded."""
    plan.refresh_from_db()
    workflow.submit(plan, institution_user, on=submitted_on)
    workflow.approve(plan, centre_user, on=submitted_on + datetime.timedelta(days=1))
    scores = workbook_bytes(
        ["证件号码", "证件类型", "理论知识成绩", "技能操作成绩"],
        [(HK_PERMIT, "港澳居民来往内地通行证", 82, 88), ("USA 123456789", "护照", 75, 91)],
    )
    result = imports.import_scores(plan, SimpleUploadedFile("成绩.xlsx", scores), institution_user)
    assert result.ok, result.errors
    plan.refresh_from_db()
    workflow.report_results(plan, institution_user, on=plan.end_date)
    workflow.verify(plan, centre_user, {}, on=plan.end_date + datetime.timedelta(days=1))
    workflow.mark_uploaded(
        plan,
        centre_user,
        uploaded_on=plan.end_date + datetime.timedelta(days=2),
        published_on=plan.end_date + datetime.timedelta(days=3),
        on=plan.end_date + datetime.timedelta(days=3),
    )


def test_a_hong_kong_resident_and_a_foreigner_imported_issued_and_found(live_server, page, alice, carol):
    ARTIFACTS.mkdir(exist_ok=True)
    cache.clear()
    filed_institution(alice.institution)
    submitted_on = workdays.today() - datetime.timedelta(days=40)
    start = rules.first_allowed_start(submitted_on).date
    plan = PlanFactory(
        institution=alice.institution,
        staffed=True,
        created_by=alice,
        levels=[4],
        title="2026年港澳及外籍人员认定",
        start_date=start,
        end_date=start,
    )

    # 1. The institution uploads the roster on the plan page; both rows are on the roster with their type.
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/")
    page.set_input_files(
        "[data-testid=roster-form] input[type=file]",
        {"name": "名册.xlsx", "mimeType": XLSX, "buffer": roster()},
    )
    page.locator("[data-testid=roster-form] button[type=submit]").click()
    page.wait_for_selector("text=已导入 2 名考生")
    rows = page.get_by_test_id("candidate-row")
    shown = {rows.nth(i).get_by_role("link").inner_text(): rows.nth(i) for i in range(rows.count())}
    assert set(shown) == {"陈大文", "JOHN SMITH"}
    for name, label, kind, number in (
        ("陈大文", "港澳居民来往内地通行证", DocumentKind.HK_MACAO_PERMIT, HK_PERMIT),
        ("JOHN SMITH", "护照", DocumentKind.PASSPORT, PASSPORT),
    ):
        row = shown[name]
        assert row.get_by_test_id("document-kind").inner_text() == label
        assert row.get_by_test_id("candidate-number").inner_text() == f"{label} {mask_document(kind, number)}"
        assert "符合" in row.inner_text() and "不符合" not in row.inner_text()
    listed = page.get_by_test_id("candidates").inner_text()
    assert HK_PERMIT not in listed and PASSPORT not in listed
    page.screenshot(path=str(ARTIFACTS / "certification-roster-documents.png"), full_page=True)

    # 2. Their photos go up as one ZIP, each file named by the document's number as people type it.
    expect(page.get_by_test_id("photos-missing")).to_contain_text("2 名考生尚无照片")
    page.set_input_files(
        "[data-testid=photos-zip-form] input[name=file]",
        {"name": "照片.zip", "mimeType": "application/zip", "buffer": photos_zip()},
    )
    page.get_by_test_id("photos-zip-submit").click()
    results = page.get_by_test_id("photo-result")
    expect(results).to_have_count(2)
    assert [results.nth(i).inner_text().split("\t") for i in range(2)] == [
        ["H12****78.jpg", "陈大文", "已保存"],
        ["USA123****89.jpg", "JOHN SMITH", "已保存"],
    ]
    expect(page.get_by_test_id("photos-missing")).to_contain_text("所有考生均已上传照片")
    imported = {c.name: c for c in plan.candidates.all()}
    assert (imported["陈大文"].document_kind, imported["陈大文"].id_number) == ("hk_macao_permit", HK_PERMIT)
    assert (imported["JOHN SMITH"].document_kind, imported["JOHN SMITH"].id_number) == ("passport", PASSPORT)

    # 3. The plan goes to issuance; the certificates are issued from its imported candidates.
    to_issuance(plan, alice, carol, submitted_on)
    assert set(plan.candidates.values_list("verification", flat=True)) == {Verification.ACCEPTED}
    batch = plan_issuing.issue(plan, alice, start=False)
    issuance.run_batch(batch.pk)
    hk = Certificate.objects.get(holder_name="陈大文")
    foreigner = Certificate.objects.get(holder_name="JOHN SMITH")
    assert (hk.document_kind, hk.id_number) == ("hk_macao_permit", HK_PERMIT)
    assert (foreigner.document_kind, foreigner.id_number) == ("passport", PASSPORT)
    assert {hk.source_key, foreigner.source_key} == {issuable.source_key(c) for c in imported.values()}
    page.context.clear_cookies()

    # 4. Each finds the certificate by type, number and name; the number is masked by its type's rule.
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

    # 5. A right number with a wrong name reads as an unknown number.
    look_up(page, live_server.url, "护照", PASSPORT, "JANE SMITH")
    wrong_name = page.get_by_test_id("lookup-result").inner_text()
    look_up(page, live_server.url, "护照", "USA999999999", "JOHN SMITH")
    assert page.get_by_test_id("lookup-result").inner_text() == wrong_name
    assert page.get_by_test_id("not-found").is_visible()

    # 6. The centre links the foreigner's passport to a resident ID of the same person.
    login(page, live_server.url, "carol")
    page.goto(live_server.url + f"/certificates/lookup/staff/c/{foreigner.code}/")
    assert page.get_by_test_id("document-kind").inner_text() == "护照"
    form = page.get_by_test_id("link-form")
    form.get_by_label("关联证件类型").select_option(label="外国人永久居留身份证")
    form.get_by_label("关联证件号码").fill("USA123456789012")
    form.get_by_label("关联依据").fill("核验了护照和永久居留身份证原件")
    form.locator("button[type=submit]").click()
    assert "外国人永久居留身份证 USA123456789012" in page.get_by_test_id("linked-documents").inner_text()

    # 7. The export's 证件类型 column carries each holder's document type.
    page.goto(live_server.url + "/certificates/lookup/staff/export/")
    form = page.get_by_test_id("export-form")
    form.get_by_label("发证日期自").fill(hk.issue_date.isoformat())
    form.get_by_label("发证日期至").fill(hk.issue_date.isoformat())
    with page.expect_download() as info:
        form.locator("button[type=submit]").click()
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))["证书数据"]
    rows = {row[1]: (row[4], row[5]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {hk.code: ("港澳居民来往内地通行证", HK_PERMIT), foreigner.code: ("护照", PASSPORT)}

    # 8. Logged out, the visitor finds the foreigner's certificate by the linked document too.
    page.context.clear_cookies()
    look_up(page, live_server.url, "外国人永久居留身份证", "USA123456789012", "JOHN SMITH")
    assert page.get_by_test_id("field-code").inner_text() == foreigner.code
