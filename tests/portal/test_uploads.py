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
