"""Attachments are checked by content (seed 000 附件2/附件3 checklists), at most 20 MB (a setting),
stored under random names."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.constants import State
from filings.forms import clean_attachment
from filings.models import Attachment

from .factories import PDF_BYTES, FilingFactory


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


PNG_BYTES = _png()
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_real_pdf_and_png_accepted():
    assert clean_attachment(upload("plan.pdf", PDF_BYTES)) == "pdf"
    assert clean_attachment(upload("licence.png", PNG_BYTES)) == "png"


@pytest.mark.parametrize(
    ("name", "content"), [("licence.pdf", PNG_BYTES), ("plan.pdf", EXE_BYTES), ("x.exe", EXE_BYTES)]
)
def test_pdf_name_with_other_content_refused(name, content):
    with pytest.raises(ValidationError) as refused:
        clean_attachment(upload(name, content))
    assert any(("内容" in m) for m in refused.value.messages)


@pytest.mark.parametrize(("extra", "ok"), [(-1, True), (0, True), (1, False)])
def test_size_limit_is_a_setting(settings, extra, ok):
    settings.FILING_ATTACHMENT_MAX_BYTES = 1000
    content = PDF_BYTES + b"0" * (1000 + extra - len(PDF_BYTES))
    if ok:
        assert clean_attachment(upload("a.pdf", content)) == "pdf"
    else:
        with pytest.raises(ValidationError, match="文件过大"):
            clean_attachment(upload("a.pdf", content))


@pytest.mark.django_db
def test_upload_through_the_form_is_stored_under_a_random_name(client, alice):
    filing = FilingFactory(institution=alice.institution)
    client.force_login(alice)
    response = client.post(
        reverse("filings:edit", args=[filing.pk]),
        {
            **_empty_formsets(),
            "f-name": filing.name,
            "f-credit_code": filing.credit_code,
            "f-route": "Y",
            "f-kind": "enterprise",
            "version": filing.version,
            "action": "save",
            "att_y2_licence": upload("营业执照.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(filing=filing)
    assert attachment.original_name == "营业执照.pdf"
    assert "营业执照" not in attachment.file.name
    assert attachment.file.name.startswith("filings/")
    download = client.get(reverse("filings:attachment", args=[filing.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_refused_upload_says_which_item_and_keeps_the_typed_form(client, alice):
    filing = FilingFactory(institution=alice.institution)
    client.force_login(alice)
    response = client.post(
        reverse("filings:edit", args=[filing.pk]),
        {
            **_empty_formsets(),
            "f-name": "新名称有限公司",
            "f-credit_code": filing.credit_code,
            "f-route": "Y",
            "f-kind": "enterprise",
            "version": filing.version,
            "action": "save",
            "att_y2_licence": upload("营业执照.pdf", PNG_BYTES),
        },
        follow=True,
    )
    text = response.content.decode()
    assert "企业营业执照复印件" in text and "不符" in text
    assert not Attachment.objects.filter(filing=filing).exists()
    assert 'value="新名称有限公司"' in text  # what was typed is in the form again ...
    filing.refresh_from_db()
    assert filing.name != "新名称有限公司"  # ... and nothing is stored until every file passes (issue 22)


@pytest.mark.django_db
def test_attachment_cannot_be_deleted_after_submission(client, alice):
    from .factories import in_state

    filing = in_state(State.SUBMITTED, institution=alice.institution)
    attachment = filing.attachments.first()
    client.force_login(alice)
    client.post(reverse("filings:delete_attachment", args=[filing.pk, attachment.pk]))
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def _empty_formsets():
    data = {}
    for prefix in ("occ", "eq", "p_staff", "p_expert", "p_assessor", "p_supervisor"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


@pytest.mark.django_db
def test_a_several_file_slot_lists_a_file_uploaded_again_once(client, alice):
    """issue 29 item 10: saving the same file twice into a several-file item listed it twice; the
    slot still collects files of other names."""
    filing = FilingFactory(institution=alice.institution)
    client.force_login(alice)

    def save(name):
        filing.refresh_from_db()
        response = client.post(
            reverse("filings:edit", args=[filing.pk]),
            {
                **_empty_formsets(),
                "f-name": filing.name,
                "f-credit_code": filing.credit_code,
                "f-route": "Y",
                "f-kind": "enterprise",
                "version": filing.version,
                "action": "save",
                "att_y3_rules": upload(name, PDF_BYTES),
            },
        )
        assert response.status_code == 302

    save("实施办法.pdf")
    save("实施办法.pdf")
    save("质量管控措施.pdf")
    page = client.get(reverse("filings:edit", args=[filing.pk])).content.decode()
    assert page.count("实施办法.pdf") == 1
    assert page.count("质量管控措施.pdf") == 1
    assert filing.attachments.filter(item="y3_rules").count() == 2
