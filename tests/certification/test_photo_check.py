"""Issue 39 item 3: a candidate photo is checked like a real 2-inch ID photo (seed 004 附件6 3: 2 寸彩色（白底），
35mm×49mm) by certification.photo_check, on every way it arrives (one by one, and the ZIP import). The
images are made here with Pillow."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from certification import photo_zip, photos
from certification.constants import (
    PHOTO_ASPECT_TOLERANCE_PERCENT,
    PHOTO_BORDER_MIN_WHITE_PERCENT,
    PHOTO_MIN_HEIGHT_PX,
    PHOTO_MIN_WIDTH_PX,
    PHOTO_WHITE_MAX_SPREAD,
    PHOTO_WHITE_MIN_CHANNEL,
)
from certification.photo_check import PhotoRefused, aspect_fits, check_photo
from tests.certificates.factories import photo_bytes
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution


def refusal(data: bytes) -> str:
    with pytest.raises(PhotoRefused) as error:
        check_photo(data)
    return str(error.value)


def patterned(size=(413, 579), kind="JPEG") -> bytes:
    """A head and shoulders in front of a checked wallpaper (white and dark squares)."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    w, h = size
    for y in range(0, h, 24):
        for x in range(0, w, 24):
            if (x // 24 + y // 24) % 2:
                draw.rectangle((x, y, x + 23, y + 23), fill=(120, 80, 40))
    draw.ellipse((w * 0.3, h * 0.15, w * 0.7, h * 0.55), fill=(90, 90, 110))
    draw.rectangle((w * 0.15, h * 0.6, w * 0.85, h), fill=(40, 60, 120))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def lying_png(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose header (IHDR, its CRC made right) claims ``width`` x ``height``."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(out, "PNG")
    data = bytearray(out.getvalue())
    start = 8 + 8  # signature, then the IHDR chunk's length and type
    fields = struct.pack(">II", width, height) + bytes(data[start + 8 : start + 13])
    data[start : start + 13] = fields
    data[start + 13 : start + 17] = struct.pack(">I", zlib.crc32(b"IHDR" + fields) & 0xFFFFFFFF)
    return bytes(data)


# --- the good photo, and what is refused --------------------------------------------------------------


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_a_portrait_on_white_passes(kind):
    check_photo(photo_bytes(kind))
    check_photo(photo_bytes(kind, size=(1500, 2000)))  # a 3:4 camera crop, large
    check_photo(photo_bytes(kind, size=(PHOTO_MIN_WIDTH_PX, PHOTO_MIN_HEIGHT_PX)))


def test_a_transparent_png_counts_as_white_as_issuance_prints_it():
    check_photo(photo_bytes("PNG", transparent=True))


def test_a_patterned_background_is_refused_with_the_reason():
    message = refusal(patterned())
    assert "照片背景须为纯白色" in message and f"至少须 {PHOTO_BORDER_MIN_WHITE_PERCENT}%" in message


@pytest.mark.parametrize(
    "colour", [(67, 142, 219), (220, 30, 30), (200, 220, 245)], ids=["blue", "red", "pale-blue"]
)
def test_a_coloured_background_is_refused(colour):
    assert "照片背景须为纯白色" in refusal(photo_bytes("JPEG", background=colour))


def test_too_small_is_refused():
    message = refusal(photo_bytes("JPEG", size=(300, 400)))
    assert "照片太小（300×400 像素）" in message and "295×413" in message
    assert "照片太小" in refusal(photo_bytes("PNG", size=(PHOTO_MIN_WIDTH_PX - 1, 600)))
    assert "照片太小" in refusal(photo_bytes("PNG", size=(400, PHOTO_MIN_HEIGHT_PX - 1)))


@pytest.mark.parametrize(
    "size", [(600, 600), (800, 579), (413, 800)], ids=["square", "landscape", "too-tall"]
)
def test_the_wrong_aspect_is_refused(size):
    message = refusal(photo_bytes("JPEG", size=size))
    assert "照片比例不符" in message and "35:49" in message


def test_a_blank_white_picture_has_no_face():
    blank = io.BytesIO()
    Image.new("RGB", (413, 579), "white").save(blank, "JPEG")
    assert "未见清晰的人像" in refusal(blank.getvalue())
    # a tiny mark in the centre is no face either
    image = Image.new("RGB", (413, 579), "white")
    ImageDraw.Draw(image).ellipse((200, 200, 215, 215), fill="black")
    dot = io.BytesIO()
    image.save(dot, "PNG")
    assert "未见清晰的人像" in refusal(dot.getvalue())


def test_not_an_image():
    assert "须为 JPG 或 PNG" in refusal(b"%PDF-1.4 not a photo")
    assert "须为 JPG 或 PNG" in refusal(b"")
    gif = io.BytesIO()
    Image.new("RGB", (413, 579), "white").save(gif, "GIF")
    assert "须为 JPG 或 PNG" in refusal(gif.getvalue())


def test_a_png_whose_header_lies_about_its_size():
    assert "已损坏或不完整" in refusal(lying_png(2000, 2800))  # the size fits; the pixels are not there
    assert "照片像素过多" in refusal(lying_png(100_000, 140_000))  # refused from the header, never decoded


def test_a_truncated_file_is_refused_even_after_weasyprint_loosened_pillow():
    import weasyprint  # noqa: F401  (sets ImageFile.LOAD_TRUNCATED_IMAGES = True on import)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    assert "已损坏或不完整" in refusal(lying_png(2000, 2800))
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # put back for WeasyPrint


def test_a_truncated_file_is_refused():
    for kind in ("JPEG", "PNG"):
        data = photo_bytes(kind)
        assert "已损坏或不完整" in refusal(data[: len(data) // 2])


# --- boundaries -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "channel, passes",
    [
        (PHOTO_WHITE_MIN_CHANNEL - 1, False),
        (PHOTO_WHITE_MIN_CHANNEL, True),
        (PHOTO_WHITE_MIN_CHANNEL + 1, True),
    ],
    ids=["just-under", "at", "just-over"],
)
def test_light_grey_boundary(channel, passes):
    data = photo_bytes("PNG", background=(channel, channel, channel))  # PNG: the colour kept exactly
    if passes:
        check_photo(data)
    else:
        assert "照片背景须为纯白色" in refusal(data)


@pytest.mark.parametrize(
    "spread, passes",
    [(PHOTO_WHITE_MAX_SPREAD - 1, True), (PHOTO_WHITE_MAX_SPREAD, True), (PHOTO_WHITE_MAX_SPREAD + 1, False)],
    ids=["just-under", "at", "just-over"],
)
def test_neutral_boundary(spread, passes):
    data = photo_bytes("PNG", background=(255 - spread, 255 - spread, 255))  # a bluish white
    if passes:
        check_photo(data)
    else:
        assert "照片背景须为纯白色" in refusal(data)


# 490 pixels high: 35:49 wants 350 across; PHOTO_ASPECT_TOLERANCE_PERCENT (6) of it is exactly 21 pixels.
TALL = 490


def test_the_aspect_numbers():
    assert PHOTO_ASPECT_TOLERANCE_PERCENT == 6 and TALL * 35 * 6 % (100 * 49) == 0


@pytest.mark.parametrize(
    "width, passes",
    [(328, False), (329, True), (330, True), (350, True), (370, True), (371, True), (372, False)],
    ids=["narrow-over", "narrow-at", "narrow-under", "exact", "wide-under", "wide-at", "wide-over"],
)
def test_aspect_boundary(width, passes):
    assert aspect_fits(width, TALL) is passes
    data = photo_bytes("PNG", size=(width, TALL))
    if passes:
        check_photo(data)
    else:
        assert "照片比例不符" in refusal(data)


# --- every way a photo arrives ----------------------------------------------------------------------------


@pytest.fixture
def candidate(alice):
    filed_institution(alice.institution, levels="345")
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[4])
    return CandidateFactory(plan=plan)


@pytest.mark.django_db
def test_store_checks_the_photo_and_keeps_the_old_one(candidate, alice):
    photos.store(candidate, SimpleUploadedFile("a.jpg", photo_bytes()), alice)
    candidate.refresh_from_db()
    good = candidate.photo.name
    with pytest.raises(photos.PhotoRefused, match="照片背景须为纯白色"):
        photos.store(candidate, SimpleUploadedFile("b.jpg", patterned()), alice)
    with pytest.raises(photos.PhotoRefused, match="已损坏或不完整"):
        photos.store(candidate, SimpleUploadedFile("c.png", lying_png(2000, 2800)), alice)
    candidate.refresh_from_db()
    assert candidate.photo.name == good


@pytest.mark.django_db
def test_the_zip_import_gives_each_file_its_reason(candidate, alice):
    plan = candidate.plan
    others = [CandidateFactory(plan=plan) for _ in range(3)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(f"{candidate.id_number}.jpg", photo_bytes())
        archive.writestr(f"{others[0].id_number}.jpg", patterned())
        archive.writestr(f"{others[1].id_number}.jpg", photo_bytes(size=(300, 400)))
        archive.writestr(f"{others[2].id_number}.png", photo_bytes("PNG", size=(600, 600)))
    results = photo_zip.import_photos(plan, SimpleUploadedFile("p.zip", out.getvalue()), alice)
    assert [r.saved for r in results] == [True, False, False, False]
    assert "照片背景须为纯白色" in results[1].message
    assert "照片太小" in results[2].message
    assert "照片比例不符" in results[3].message
    for other in others:
        other.refresh_from_db()
        assert not other.photo
