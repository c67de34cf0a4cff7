"""The candidate's photo checked by what it shows (issue 39 item 3): seed 004 附件6 3 asks for a 2-inch
colour photo on a white background (2 寸彩色（白底），35mm×49mm). ``check_photo`` refuses, with what to
fix, a picture that is no readable JPG/PNG, too small, out of the 35:49 proportions, not on a plain white
background, or with no face-sized region standing out from it. Pillow only, on a scaled-down copy; the
numbers are the PHOTO_* constants of certification/constants.py, each with its clause or marked as the
portal's choice. Every way a photo arrives goes through it (``photos.store``, hence the ZIP import);
photos already stored are not checked again (issuance only normalises them)."""

from __future__ import annotations

import io
import warnings

from django.utils.translation import gettext as _

from portal.uploads import load_whole_image, sniff

from .constants import (
    PHOTO_ASPECT_TOLERANCE_PERCENT,
    PHOTO_BORDER_MIN_WHITE_PERCENT,
    PHOTO_BORDER_PERCENT,
    PHOTO_BORDER_SIDE_DEPTH_PERCENT,
    PHOTO_CHECK_WIDTH_PX,
    PHOTO_FACE_BOTTOM_PERCENT,
    PHOTO_FACE_DIFFERENCE,
    PHOTO_FACE_MIN_PERCENT,
    PHOTO_FACE_REGION_PERCENT,
    PHOTO_FACE_TOP_PERCENT,
    PHOTO_FRAME_HEIGHT_MM,
    PHOTO_FRAME_WIDTH_MM,
    PHOTO_MAX_PIXELS,
    PHOTO_MIN_HEIGHT_PX,
    PHOTO_MIN_WIDTH_PX,
    PHOTO_WHITE_MAX_SPREAD,
    PHOTO_WHITE_MIN_CHANNEL,
)


class PhotoRefused(ValueError):
    """A photo that may not be stored; the message is for the user (re-exported by certification.photos)."""


def requirements() -> str:
    """What the upload pages say a photo must be (the same numbers as the check)."""
    return _(
        "照片要求：2 寸彩色白底正面免冠照（宽高比 35:49），至少 %(w)s×%(h)s 像素，背景为纯白色或浅灰色、"
        "无图案，人像居中。"
    ) % {"w": PHOTO_MIN_WIDTH_PX, "h": PHOTO_MIN_HEIGHT_PX}


def check_photo(data: bytes) -> None:
    """Raises PhotoRefused with a Chinese message saying what to fix, unless ``data`` is a JPG/PNG 2-inch
    colour portrait on a plain white background (seed 004 附件6 3)."""
    from PIL import Image, UnidentifiedImageError

    if sniff(bytes(data[:16])) not in ("jpeg", "png"):
        raise PhotoRefused(_("照片须为 JPG 或 PNG 图片。"))
    broken = _("照片文件已损坏或不完整，请重新拍摄或导出后上传。")
    too_many = _("照片像素过多（超过 %(n)s 万像素），请缩小到 2 寸照片的尺寸后上传。") % {
        "n": PHOTO_MAX_PIXELS // 10_000
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size  # from the header, nothing decoded yet
            if width * height > PHOTO_MAX_PIXELS:
                raise PhotoRefused(too_many)
            _check_size(width, height)
            if image.format == "JPEG":
                image.draft("RGB", (PHOTO_CHECK_WIDTH_PX * 2, PHOTO_CHECK_WIDTH_PX * 3))
            load_whole_image(image)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's own limit, on open
        raise PhotoRefused(too_many) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise PhotoRefused(broken) from None
    small = _downscaled(image)
    background = _check_background(small)
    _check_face(small, background)


def _check_size(width: int, height: int) -> None:
    """At least the 1-inch digital size, and the 35:49 proportions within the tolerance."""
    if width < PHOTO_MIN_WIDTH_PX or height < PHOTO_MIN_HEIGHT_PX:
        raise PhotoRefused(
            _(
                "照片太小（%(w)s×%(h)s 像素），至少须 %(min_w)s×%(min_h)s 像素（宽×高），"
                "请上传原始照片，不要使用缩略图或截图。"
            )
            % {"w": width, "h": height, "min_w": PHOTO_MIN_WIDTH_PX, "min_h": PHOTO_MIN_HEIGHT_PX}
        )
    if not aspect_fits(width, height):
        raise PhotoRefused(
            _(
                "照片比例不符（%(w)s×%(h)s 像素）：2 寸照片为竖版，宽高比 %(fw)s:%(fh)s（35mm×49mm），"
                "允许相差 %(tol)s%%，请按 2 寸照片裁剪后上传。"
            )
            % {
                "w": width,
                "h": height,
                "fw": PHOTO_FRAME_WIDTH_MM,
                "fh": PHOTO_FRAME_HEIGHT_MM,
                "tol": PHOTO_ASPECT_TOLERANCE_PERCENT,
            }
        )


def aspect_fits(width: int, height: int) -> bool:
    """width:height within PHOTO_ASPECT_TOLERANCE_PERCENT of 35:49 (exact in integers, the limit included)."""
    frame = height * PHOTO_FRAME_WIDTH_MM  # the width the frame's proportions want, times 49
    off = abs(width * PHOTO_FRAME_HEIGHT_MM - frame)
    return off * 100 <= PHOTO_ASPECT_TOLERANCE_PERCENT * frame


def _downscaled(image):
    """An RGB copy PHOTO_CHECK_WIDTH_PX across (transparency flattened onto white, as issuance prints it)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    image = image.convert("RGB")
    width, height = image.size
    small_height = max(1, round(height * PHOTO_CHECK_WIDTH_PX / width))
    return image.resize((PHOTO_CHECK_WIDTH_PX, small_height), Image.Resampling.BOX)


def near_white(pixel) -> bool:
    """Paper-white or light grey: every channel bright enough, and the channels close together."""
    return min(pixel) >= PHOTO_WHITE_MIN_CHANNEL and max(pixel) - min(pixel) <= PHOTO_WHITE_MAX_SPREAD


def _border(image) -> list:
    """The background strip: the top edge, and the left and right edges down to the shoulders."""
    width, height = image.size
    pixels = image.load()
    band_x = max(1, round(width * PHOTO_BORDER_PERCENT / 100))
    band_y = max(1, round(height * PHOTO_BORDER_PERCENT / 100))
    depth = round(height * PHOTO_BORDER_SIDE_DEPTH_PERCENT / 100)
    strip = [pixels[x, y] for y in range(band_y) for x in range(width)]
    for y in range(band_y, depth):
        strip.extend(pixels[x, y] for x in range(band_x))
        strip.extend(pixels[x, y] for x in range(width - band_x, width))
    return strip


def _check_background(image) -> tuple[int, int, int]:
    """seed 004 附件6 3 白底: the strip mostly near-white; returns the background's mean colour."""
    strip = _border(image)
    white = [p for p in strip if near_white(p)]
    if len(white) * 100 < PHOTO_BORDER_MIN_WHITE_PERCENT * len(strip):
        raise PhotoRefused(
            _(
                "照片背景须为纯白色（2 寸彩色白底照片）：照片边缘只有 %(share)s%% 接近白色，"
                "至少须 %(min)s%%。请在白色背景前重新拍摄，不要使用蓝底、红底或有图案、杂物的背景。"
            )
            % {"share": len(white) * 100 // max(1, len(strip)), "min": PHOTO_BORDER_MIN_WHITE_PERCENT}
        )
    return tuple(sum(p[i] for p in white) // len(white) for i in range(3))


def _check_face(image, background) -> None:
    """A face-sized region in the centre stands out from the background."""
    width, height = image.size
    pixels = image.load()
    margin = (100 - PHOTO_FACE_REGION_PERCENT) / 200
    left, right = round(width * margin), round(width * (1 - margin))
    top = round(height * PHOTO_FACE_TOP_PERCENT / 100)
    bottom = round(height * PHOTO_FACE_BOTTOM_PERCENT / 100)
    region = [pixels[x, y] for y in range(top, bottom) for x in range(left, right)]
    standing_out = sum(
        1 for p in region if max(abs(p[i] - background[i]) for i in range(3)) > PHOTO_FACE_DIFFERENCE
    )
    if standing_out * 100 < PHOTO_FACE_MIN_PERCENT * max(1, len(region)):
        raise PhotoRefused(
            _("照片中未见清晰的人像：请上传本人正面免冠、头像居中的 2 寸彩色照片，人像须与白色背景分明。")
        )
