"""A small QR code reader for the tests: SVG or PNG as printed -> module matrix -> text.

No QR decoder is installed on this machine (no zbar, no OpenCV), so this reads the code the way a scanner
does once it has the modules, independently of segno's encoder: format information (error level and
mask, BCH-checked, both copies), unmasking, the zigzag codeword order, de-interleaving the blocks, a
Reed-Solomon check of every block's error correction codewords, and the data segments (numeric,
alphanumeric, byte). Only the standard's tables (block structure, alignment positions) come from segno.
Written after Project Nayuki's reference QR code generator (ISO/IEC 18004:2015, 7.7-7.9).
"""

import re
import urllib.parse
from dataclasses import dataclass

from segno import consts

FORMAT_XOR = 0x5412
ERROR_NAMES = {1: "L", 0: "M", 3: "Q", 2: "H"}  # format information bits -> level
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
MASKS = (
    lambda x, y: (x + y) % 2 == 0,
    lambda x, y: y % 2 == 0,
    lambda x, y: x % 3 == 0,
    lambda x, y: (x + y) % 3 == 0,
    lambda x, y: (x // 3 + y // 2) % 2 == 0,
    lambda x, y: x * y % 2 + x * y % 3 == 0,
    lambda x, y: (x * y % 2 + x * y % 3) % 2 == 0,
    lambda x, y: ((x + y) % 2 + x * y % 3) % 2 == 0,
)


class QRDecodeError(ValueError):
    pass


@dataclass
class Decoded:
    text: str
    version: int
    error: str
    mask: int


# --- SVG -> modules ----------------------------------------------------------------------------------


def svg_from_data_uri(uri: str) -> str:
    head, _, body = uri.partition(",")
    if not head.startswith("data:image/svg+xml"):
        raise QRDecodeError(f"not an SVG data URI: {head}")
    return urllib.parse.unquote(body)


def matrix_from_svg(svg: str) -> list[list[bool]]:
    """The dark modules of segno's SVG (one path of horizontal 1-unit strokes, border 0)."""
    box = re.search(r"viewBox=['\"]0 0 (\d+) (\d+)['\"]", svg)
    paths = re.findall(r"<path[^>]*\sd=['\"]([^'\"]+)['\"]", svg)
    if not box or box.group(1) != box.group(2) or len(paths) != 1:
        raise QRDecodeError("unexpected SVG layout")
    size = int(box.group(1))
    modules = [[False] * size for _ in range(size)]
    x = y = 0.0
    tokens = re.findall(r"[MmHh]|-?\d*\.?\d+", paths[0])
    i = 0
    while i < len(tokens):
        command = tokens[i]
        if command in "Mm":
            dx, dy = float(tokens[i + 1]), float(tokens[i + 2])
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            i += 3
        elif command in "Hh":
            end = float(tokens[i + 1]) if command == "H" else x + float(tokens[i + 1])
            row = int(y)  # strokes run through the middle of their row (y + 0.5)
            for column in range(int(round(min(x, end))), int(round(max(x, end)))):
                modules[row][column] = True
            x = end
            i += 2
        else:
            raise QRDecodeError(f"unexpected path command {command!r}")
    return modules


# --- modules -> codewords ----------------------------------------------------------------------------


def _function_modules(version: int, size: int) -> list[list[bool]]:
    """Finder patterns with separators and format areas, timing, alignment and version areas."""
    function = [[False] * size for _ in range(size)]

    def mark(rows, columns):
        for r in rows:
            for c in columns:
                if 0 <= r < size and 0 <= c < size:
                    function[r][c] = True

    mark(range(9), range(9))
    mark(range(9), range(size - 8, size))
    mark(range(size - 8, size), range(9))
    mark([6], range(size))
    mark(range(size), [6])
    if version >= 2:
        positions = consts.ALIGNMENT_POS[version - 2]
        first, last = positions[0], positions[-1]
        for r in positions:
            for c in positions:
                if (r, c) in ((first, first), (first, last), (last, first)):
                    continue
                mark(range(r - 2, r + 3), range(c - 2, c + 3))
    if version >= 7:
        mark(range(6), range(size - 11, size - 8))
        mark(range(size - 11, size - 8), range(6))
    return function


def _format_bits(error_bits: int, mask: int) -> int:
    data = error_bits << 3 | mask
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    return (data << 10 | remainder) ^ FORMAT_XOR


def _read_format(modules) -> tuple[int, int]:
    size = len(modules)

    def bit(r, c):
        return int(modules[r][c])

    first = [bit(i, 8) for i in range(6)] + [bit(7, 8), bit(8, 8), bit(8, 7)]
    first += [bit(8, 14 - i) for i in range(9, 15)]
    second = [bit(8, size - 1 - i) for i in range(8)] + [bit(size - 15 + i, 8) for i in range(8, 15)]
    if bit(size - 8, 8) != 1:
        raise QRDecodeError("dark module missing")
    read = [sum(b << i for i, b in enumerate(copy)) for copy in (first, second)]
    for error_bits in ERROR_NAMES:
        for mask in range(8):
            if all(value == _format_bits(error_bits, mask) for value in read):
                return error_bits, mask
    raise QRDecodeError(f"format information not valid: {read[0]:015b} / {read[1]:015b}")


def _gf_multiply(x: int, y: int) -> int:
    z = 0
    for i in reversed(range(8)):
        z = (z << 1) ^ ((z >> 7) * 0x11D)
        z ^= ((y >> i) & 1) * x
    return z


def _rs_divisor(degree: int) -> list[int]:
    result = [0] * (degree - 1) + [1]
    root = 1
    for _ in range(degree):
        for j in range(len(result)):
            result[j] = _gf_multiply(result[j], root)
            if j + 1 < len(result):
                result[j] ^= result[j + 1]
        root = _gf_multiply(root, 0x02)
    return result


def _rs_remainder(data: list[int], divisor: list[int]) -> list[int]:
    result = [0] * len(divisor)
    for byte in data:
        factor = byte ^ result.pop(0)
        result.append(0)
        for i, coefficient in enumerate(divisor):
            result[i] ^= _gf_multiply(coefficient, factor)
    return result


def _codewords(modules, version: int, mask: int) -> list[int]:
    size = len(modules)
    function = _function_modules(version, size)
    bits = []
    right = size - 1
    while right >= 1:
        if right == 6:  # the vertical timing pattern is skipped
            right = 5
        upward = ((right + 1) & 2) == 0
        for vertical in range(size):
            y = size - 1 - vertical if upward else vertical
            for x in (right, right - 1):
                if not function[y][x]:
                    bits.append(int(modules[y][x]) ^ int(MASKS[mask](x, y)))
        right -= 2
    return [int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits) - 7, 8)]


def _data_codewords(codewords: list[int], version: int, error_bits: int) -> list[int]:
    blocks = []
    for spec in consts.ECC[version][error_bits]:
        blocks += [(spec.num_data, spec.num_total - spec.num_data)] * spec.num_blocks
    ec_length = blocks[0][1]
    data = [[] for _ in blocks]
    position = 0
    for i in range(max(n for n, _ in blocks)):
        for b, (n, _) in enumerate(blocks):
            if i < n:
                data[b].append(codewords[position])
                position += 1
    ec = [[] for _ in blocks]
    for _i in range(ec_length):
        for b in range(len(blocks)):
            ec[b].append(codewords[position])
            position += 1
    divisor = _rs_divisor(ec_length)
    for b, block in enumerate(data):
        if _rs_remainder(block, divisor) != ec[b]:
            raise QRDecodeError(f"block {b}: error correction codewords do not match the data")
    return [byte for block in data for byte in block]


def _segments(data: list[int], version: int) -> str:
    bits = "".join(f"{byte:08b}" for byte in data)
    position = 0

    def take(n):
        nonlocal position
        value = int(bits[position : position + n], 2)
        position += n
        return value

    group = 0 if version <= 9 else 1 if version <= 26 else 2
    text = []
    while position + 4 <= len(bits):
        mode = take(4)
        if mode == 0:
            break
        if mode == 4:  # byte
            count = take((8, 16, 16)[group])
            raw = bytes(take(8) for _ in range(count))
            text.append(raw.decode("utf-8"))
        elif mode == 2:  # alphanumeric
            count = take((9, 11, 13)[group])
            for _ in range(count // 2):
                pair = take(11)
                text.append(ALPHANUMERIC[pair // 45] + ALPHANUMERIC[pair % 45])
            if count % 2:
                text.append(ALPHANUMERIC[take(6)])
        elif mode == 1:  # numeric
            count = take((10, 12, 14)[group])
            for _ in range(count // 3):
                text.append(f"{take(10):03d}")
            if count % 3 == 2:
                text.append(f"{take(7):02d}")
            elif count % 3 == 1:
                text.append(str(take(4)))
        else:
            raise QRDecodeError(f"unsupported mode {mode:04b}")
    return "".join(text)


def decode_matrix(modules) -> Decoded:
    size = len(modules)
    if (size - 17) % 4 or not 1 <= (size - 17) // 4 <= 40:
        raise QRDecodeError(f"not a QR code size: {size}")
    version = (size - 17) // 4
    error_bits, mask = _read_format(modules)
    data = _data_codewords(_codewords(modules, version, mask), version, error_bits)
    return Decoded(_segments(data, version), version, ERROR_NAMES[error_bits], mask)


def decode_svg_data_uri(uri: str) -> Decoded:
    return decode_matrix(matrix_from_svg(svg_from_data_uri(uri)))


# --- PNG (as the certificate PDF prints it) -> modules -----------------------------------------------


def matrix_from_image(image) -> list[list[bool]]:
    """The dark modules of a QR image of one pixel per module, border 0 (a PIL image): what
    certificates.printing.qr_png_data_uri makes and the certificate PDF holds as an image XObject."""
    gray = image.convert("L")
    width, height = gray.size
    if width != height:
        raise QRDecodeError(f"not a square image: {width} x {height}")
    pixels = list(gray.getdata() if not hasattr(gray, "get_flattened_data") else gray.get_flattened_data())
    return [[pixels[y * width + x] < 128 for x in range(width)] for y in range(height)]


def matrix_from_png_data_uri(uri: str) -> list[list[bool]]:
    import base64
    import io

    from PIL import Image

    head, _, body = uri.partition(",")
    if head != "data:image/png;base64":
        raise QRDecodeError(f"not a PNG data URI: {head}")
    return matrix_from_image(Image.open(io.BytesIO(base64.b64decode(body))))


def decode_png_data_uri(uri: str) -> Decoded:
    return decode_matrix(matrix_from_png_data_uri(uri))
