"""The 2-inch colour photo on a certificate (seed 004 附件6 3: 2 寸彩色白底, 35 x 49 mm).

Photos are checked by content (JPG or PNG), flattened onto white (a transparent PNG prints white, as
the white background requires), centre-cropped to the 35:49 ratio and stored as a 300 dpi JPEG."""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from portal.uploads import random_name, sniff

from .constants import PHOTO_HEIGHT_MM, PHOTO_MAX_BYTES, PHOTO_PIXELS, PHOTO_WIDTH_MM


class PhotoError(ValueError):
    pass


def read_photo(source) -> bytes:
    """``source`` is bytes or the storage name of a file already in MEDIA_ROOT."""
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if not source:
        raise PhotoError(_("缺少照片。"))
    try:
        with default_storage.open(str(source), "rb") as handle:
            return handle.read(PHOTO_MAX_BYTES + 1)
    except (FileNotFoundError, OSError, ValueError):
        raise PhotoError(_("照片文件不存在。")) from None


def normalise_photo(data: bytes) -> bytes:
    """JPG/PNG bytes -> a white-backed JPEG cropped to 35:49, or PhotoError with a Chinese reason."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > PHOTO_MAX_BYTES:
        raise PhotoError(_("照片文件过大（不得超过 5 MB）。"))
    if sniff(data[:16]) not in ("jpeg", "png"):
        raise PhotoError(_("照片须为 JPG 或 PNG 图片。"))
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        raise PhotoError(_("照片文件已损坏或不完整。")) from None
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    image = image.convert("RGB")
    width, height = image.size
    target_ratio = PHOTO_WIDTH_MM / PHOTO_HEIGHT_MM
    if width / height > target_ratio:  # too wide: trim the sides
        new_width = round(height * target_ratio)
        left = (width - new_width) // 2
        image = image.crop((left, 0, left + new_width, height))
    else:  # too tall: trim top and bottom equally
        new_height = round(width / target_ratio)
        top = (height - new_height) // 2
        image = image.crop((0, top, width, top + new_height))
    image = image.resize(PHOTO_PIXELS, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, dpi=(300, 300))
    return out.getvalue()


def store_certificate_photo(source, files) -> str:
    """Normalises and stores a photo through ``files`` (``portal.uploads.stored_files``: the photo goes
    again if the certificate is not saved); returns its storage name."""
    data = normalise_photo(read_photo(source))
    return files.save(random_name("certificates/photos", "jpeg"), ContentFile(data))
