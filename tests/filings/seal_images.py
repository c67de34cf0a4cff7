"""Seal images made in the tests (Pillow): a usable seal and the ways an upload is not one."""

import io
import struct
import zlib


def seal_png(size=(400, 400), colour=(210, 20, 30), background=(0, 0, 0, 0), mode="RGBA") -> bytes:
    """A round seal: a ring, a star and a line of ink in ``colour`` on ``background`` (transparent)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, background)
    draw = ImageDraw.Draw(image)
    w, h = size
    line = max(4, w // 25)
    draw.ellipse((line, line, w - line, h - line), outline=(*colour, 255), width=line)
    cx, cy, r = w / 2, h / 2, min(w, h) / 7
    draw.polygon(
        [(cx, cy - r), (cx + r * 0.3, cy - r * 0.3), (cx + r, cy - r * 0.3), (cx + r * 0.45, cy + r * 0.15),
         (cx + r * 0.65, cy + r), (cx, cy + r * 0.45), (cx - r * 0.65, cy + r), (cx - r * 0.45, cy + r * 0.15),
         (cx - r, cy - r * 0.3), (cx - r * 0.3, cy - r * 0.3)],
        fill=(*colour, 255),
    )  # fmt: skip
    draw.rectangle((w * 0.25, h * 0.72, w * 0.75, h * 0.76), fill=(*colour, 255))
    out = io.BytesIO()
    image.convert(mode).save(out, "PNG")
    return out.getvalue()


def lying_png(claimed=(400, 400)) -> bytes:
    """A PNG whose header claims ``claimed`` pixels but whose data holds a 10 x 10 image."""
    real = seal_png((10, 10))
    ihdr_at = real.index(b"IHDR")
    body = struct.pack(">II", *claimed) + real[ihdr_at + 12 : ihdr_at + 17]
    chunk = struct.pack(">I", 13) + b"IHDR" + body + struct.pack(">I", zlib.crc32(b"IHDR" + body))
    return real[: ihdr_at - 4] + chunk + real[ihdr_at + 21 :]
