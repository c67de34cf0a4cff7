import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.uploads import validate_upload


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_pdf_accepted():
    assert validate_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.7\n...")) == "pdf"


def test_png_named_pdf_is_a_png():
    assert validate_upload(SimpleUploadedFile("a.pdf", png_bytes())) == "png"


def test_png_refused_where_only_pdf_allowed():
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("a.pdf", png_bytes()), allowed=("pdf",))
    assert "按文件内容而非扩展名判断" in caught.value.messages[0]


def test_executable_with_pdf_extension_refused():
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("report.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100))


def test_truncated_image_refused():
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("photo.png", png_bytes()[:30]))
    assert "损坏" in caught.value.messages[0]


@pytest.mark.parametrize("size, ok", [(1024, True), (1025, False)])
def test_size_limit_boundary(size, ok):
    upload = SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (size - 5))
    if ok:
        validate_upload(upload, max_bytes=1024)
    else:
        with pytest.raises(ValidationError):
            validate_upload(upload, max_bytes=1024)


def xlsx_bytes():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号"])
    workbook.save(buffer)
    return buffer.getvalue()


def test_real_xlsx_accepted():
    assert validate_upload(SimpleUploadedFile("r.xlsx", xlsx_bytes()), allowed=("xlsx",)) == "xlsx"


def test_xlsx_zip_bomb_refused_before_opening():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024)
        )  # 50 MB of zeros, ~50 KB zipped
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("bomb.xlsx", buffer.getvalue()), allowed=("xlsx",))
    assert "解压后过大" in caught.value.messages[0]


def test_pdf_named_jpg_is_refused_as_image():
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("photo.jpg", b"%PDF-1.7\n"), allowed=("jpeg", "png"))


@pytest.mark.django_db
def test_oversize_upload_cut_off_while_arriving(client, settings):
    """A file over the limit is not kept: the handler swallows the rest and the form gets the size."""
    from django.http import JsonResponse
    from django.test import override_settings
    from django.urls import path

    def echo(request):
        upload = request.FILES["file"]
        try:
            validate_upload(upload)
            return JsonResponse({"ok": True})
        except ValidationError as error:
            return JsonResponse({"ok": False, "message": error.messages[0], "kept": len(upload.read())})

    urlconf = type("urls", (), {"urlpatterns": [path("echo/", echo)]})
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with override_settings(ROOT_URLCONF=urlconf):
        big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
        body = client.post("/echo/", {"file": big}).json()
        assert body["ok"] is False and "文件过大" in body["message"] and body["kept"] == 0
        small = SimpleUploadedFile("small.pdf", b"%PDF-" + b"0" * 1000)
        assert client.post("/echo/", {"file": small}).json() == {"ok": True}
