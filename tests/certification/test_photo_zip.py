"""Issue 29 item 1: candidate photos as one ZIP named by ID number, with a result per file; each file is
checked on its own (name, ID number of a candidate of this plan, content, size) and stored on its own."""

import io
import random
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification import photo_zip
from certification.constants import Verification
from portal.models import AuditEvent
from tests.certificates.factories import photo_bytes
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution, person_id

pytestmark = pytest.mark.django_db


def zip_of(files: dict[str, bytes], name="photos.zip") -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def plan(alice):
    filed_institution(alice.institution, levels="345")
    plan = PlanFactory(institution=alice.institution, verified=True, levels=[4])
    plan.a = CandidateFactory(plan=plan, name="甲一", verification=Verification.ACCEPTED, passed=True)
    plan.b = CandidateFactory(plan=plan, name="乙二", verification=Verification.ACCEPTED, passed=True)
    return plan


def url(plan):
    return reverse("certification:photos_zip", args=[plan.pk])


def test_each_file_gets_its_result(client, plan, alice):
    unknown = person_id(9000)
    bad_check_digit = plan.b.id_number[:17] + ("0" if plan.b.id_number[17] != "0" else "1")
    upload = zip_of(
        {
            f"photos/{plan.a.id_number}.jpg": photo_bytes("JPEG"),
            f"{bad_check_digit}.png": photo_bytes("PNG"),
            "张三.jpg": photo_bytes("JPEG"),
            f"{plan.b.id_number}.png": b"this is not an image at all",
            f"{unknown}.jpg": photo_bytes("JPEG"),
            "__MACOSX/._x.jpg": b"resource fork",
        }
    )
    client.force_login(alice)
    response = client.post(url(plan), {"file": upload})
    assert response.status_code == 302 and response.url.endswith("#photos")
    html = client.get(response.url).content.decode()
    assert html.count('data-testid="photo-result"') == 5  # the resource fork is no photo
    assert "已保存" in html and "居民身份证号码校验位不正确" in html
    assert "文件名不是有效的身份证号码" in html and "本方案没有该身份证号码的考生" in html
    assert "文件内容不是允许的格式" in html and "__MACOSX" not in html
    assert plan.a.id_number not in html and f"photos/{plan.a.id_number[:6]}" in html  # masked, as everywhere
    plan.a.refresh_from_db()
    plan.b.refresh_from_db()
    assert plan.a.photo and not plan.b.photo
    # after verification: the added photo is audited, per file, and the upload as a whole
    added = AuditEvent.objects.get(event="certification_photo_added_after_verification")
    assert added.data["candidate"] == plan.a.pk and added.data["via"] == "zip"
    summary = AuditEvent.objects.get(event="certification_photo_zip_uploaded")
    assert summary.data == {"files": 5, "saved": 1}
    # the results are shown once (post/redirect/get)
    assert 'data-testid="photo-result"' not in client.get(response.url).content.decode()


def test_an_existing_photo_is_not_replaced_after_verification(plan, alice):
    photo_zip.import_photos(plan, zip_of({f"{plan.a.id_number}.jpg": photo_bytes()}), alice)
    plan.a.refresh_from_db()
    kept = plan.a.photo.name
    results = photo_zip.import_photos(plan, zip_of({f"{plan.a.id_number}.jpg": photo_bytes("PNG")}), alice)
    assert [r.saved for r in results] == [False] and "不能更换" in results[0].message
    plan.a.refresh_from_db()
    assert plan.a.photo.name == kept


def test_before_verification_photos_are_replaced(alice):
    filed_institution(alice.institution, levels="345")
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[4])
    candidate = CandidateFactory(plan=plan, photo=SimpleUploadedFile("p.jpg", photo_bytes()))
    old = candidate.photo.name
    results = photo_zip.import_photos(plan, zip_of({f"{candidate.id_number}.png": photo_bytes("PNG")}), alice)
    assert results[0].saved
    candidate.refresh_from_db()
    assert candidate.photo.name != old and candidate.photo.name.endswith(".png")
    assert not AuditEvent.objects.filter(event="certification_photo_added_after_verification").exists()


def test_a_duplicate_keeps_the_first(plan, alice):
    results = photo_zip.import_photos(
        plan,
        zip_of({f"a/{plan.a.id_number}.jpg": photo_bytes(), f"b/{plan.a.id_number}.png": photo_bytes("PNG")}),
        alice,
    )
    assert [r.saved for r in results] == [True, False] and "重复" in results[1].message


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.zip", b"not a zip at all"),
        SimpleUploadedFile("x.zip", photo_bytes()),
    ],
)
def test_not_a_zip_is_refused_whole(client, plan, alice, upload):
    client.force_login(alice)
    response = client.post(url(plan), {"file": upload}, follow=True)
    assert "照片压缩包须为 ZIP 文件" in response.content.decode()
    assert not AuditEvent.objects.filter(event="certification_photo_zip_uploaded").exists()


def test_a_zip_bomb_is_refused_before_reading(plan, alice):
    bomb = zip_of({f"{plan.a.id_number}.jpg": b"\0" * (70 * 1024 * 1024)})
    with pytest.raises(photo_zip.PhotoZipRefused):
        photo_zip.import_photos(plan, bomb, alice)


def test_an_oversized_photo_is_refused(plan, alice):
    big = photo_bytes() + random.Random(0).randbytes(5 * 1024 * 1024)  # incompressible: no zip bomb
    results = photo_zip.import_photos(plan, zip_of({f"{plan.a.id_number}.jpg": big}), alice)
    assert not results[0].saved and "过大" in results[0].message


def test_only_the_owner(client, plan, bob):
    client.force_login(bob)
    assert client.post(url(plan), {"file": zip_of({})}).status_code == 404


def test_files_named_by_a_permit_or_a_passport_number(plan, alice):
    """Issue 43: a candidate identified by another document is found by that document's number (as typed:
    lower case, a passport's hyphen), the name shown masked by its type's rule; a valid number of nobody
    of this plan is named as a document number, not as a wrong resident ID."""
    from portal.identifiers import DocumentKind

    hong_kong = CandidateFactory(
        plan=plan, name="陈大文", document_kind=DocumentKind.HK_MACAO_PERMIT, id_number="H12345678"
    )
    foreigner = CandidateFactory(
        plan=plan, name="JOHN SMITH", document_kind=DocumentKind.PASSPORT, id_number="USA123456789"
    )
    upload = zip_of(
        {
            "h12345678.jpg": photo_bytes(),
            "usa-123456789.png": photo_bytes("PNG"),
            "M87654321.jpg": photo_bytes(),
            f"{plan.a.id_number}.jpg": photo_bytes(),
        }
    )
    results = photo_zip.import_photos(plan, upload, alice)
    assert [(r.name, r.saved, r.message, r.candidate) for r in results] == [
        ("H12****78.jpg", True, "已保存", "陈大文"),
        ("USA123****89.png", True, "已保存", "JOHN SMITH"),
        ("M87****21.jpg", False, "本方案没有该证件号码的考生。", ""),
        (f"{plan.a.id_number[:6]}********{plan.a.id_number[-4:]}.jpg", True, "已保存", "甲一"),
    ]
    hong_kong.refresh_from_db()
    foreigner.refresh_from_db()
    assert hong_kong.photo and foreigner.photo
