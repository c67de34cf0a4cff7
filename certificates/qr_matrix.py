"""The modules of a certificate's QR code, exactly segno's, built faster (issue 42 item 2).

``segno.make(text, error=constants.QR_ERROR_LEVEL, mask=constants.QR_MASK).matrix`` took 4.3 ms of pure
Python for a version-15 code (the link and the offline payload): half in placing the ~5,000 data bits in the
matrix and masking them (a Python call or two a module), a third in the final message (the Reed-Solomon
codewords a byte at a time, the codewords back to bits through generators), a tenth in writing the data's
bits one by one (``Buffer.append_bits``, a generator a byte). Nothing in
segno's parameters skips that (``version=``, ``mode="byte"``, ``boost_error=False``: the same 4.2-4.3 ms).

:func:`matrix` keeps every decision segno's (segments, version, error level and its boost, terminator and
padding, block layout, format and version information: the same functions of ``segno.encoder`` are called)
and does the three hot loops another way: the data's bits from one integer, the Reed-Solomon remainder of a
block as one integer shifted a byte a step with a table per generator, and the placement and mask as one
C-level gather over a cached layout per (version, mask), the layout itself found by segno's own
``add_codewords`` (so the zigzag order is segno's, not a copy of it). About 0.3 ms a code; the result is
compared with segno's module for module over payloads of every shape (tests/certificates/test_qr_encoding.py).
Micro QR codes (texts short enough for segno to pick one: never a certificate's) and a mask left to segno's
choice (``mask=None``, bench/certificates.py's "auto_mask" figure) are segno's own.

Tied to segno's internals (``segno.encoder``), hence the exact pin of segno in pyproject.toml: a new segno
release is taken only with that test passing.
"""

import functools
from operator import itemgetter

from segno import consts
from segno import encoder as _enc

_BITS = [bytes((value >> shift) & 1 for shift in range(7, -1, -1)) for value in range(256)]
_FROM_ASCII_BITS = bytes.maketrans(b"01", b"\x00\x01")
_TO_ASCII_BITS = bytes.maketrans(b"\x00\x01", b"01")
_PLACED = 1000  # placement index k is written into the layout matrix as _PLACED + k (above any module value)


def _segments(text: str):
    """segno's segments (encoder.prepare_data) for ``text``; a text of ISO 8859-1 characters that is not
    all numeric/alphanumeric/kanji is one byte-mode segment, built here from one integer (what segno's
    make_segment builds a bit at a time). Anything else: segno's own prepare_data."""
    try:
        data = text.encode(consts.DEFAULT_BYTE_ENCODING)
    except UnicodeError:
        return _enc.prepare_data(text, None, None)
    if not data or _enc.find_mode(data) != consts.MODE_BYTE:
        return _enc.prepare_data(text, None, None)
    bits = format(int.from_bytes(data, "big"), f"0{8 * len(data)}b").encode("ascii")
    segments = _enc.Segments()
    segments.add_segment(
        _enc._Segment(
            bytearray(bits.translate(_FROM_ASCII_BITS)),
            len(data),
            consts.MODE_BYTE,
            consts.DEFAULT_BYTE_ENCODING,
        )
    )
    return segments


@functools.cache
def _rs_table(degree: int) -> tuple[int, ...]:
    """For each feedback byte f, f times segno's generator polynomial of ``degree`` (GEN_POLY, its
    coefficients as logarithms, the leading 1 left out) as one big-endian integer of ``degree`` bytes."""
    generator = consts.GEN_POLY[degree]
    log, exp = consts.GALIOS_LOG, consts.GALIOS_EXP
    return (0, *(int.from_bytes(bytes(exp[log[f] + g] for g in generator), "big") for f in range(1, 256)))


def _error_codewords(block: bytes, degree: int) -> bytes:
    """The Reed-Solomon remainder of ``block`` (segno's make_blocks, the same division as a shift register)."""
    table = _rs_table(degree)
    shift = 8 * (degree - 1)
    keep = (1 << shift) - 1
    remainder = 0
    for byte in block:
        remainder = ((remainder & keep) << 8) ^ table[(remainder >> shift) ^ byte]
    return remainder.to_bytes(degree, "big")


@functools.cache
def _layout(version: int, mask: int):
    """(gather, number of data bits, mask bits as an integer, width) for a (version, mask).

    ``gather(bits + template)`` is the whole matrix row by row: each data module takes its bit of the
    final message (segno's placement order), every other module its value in ``template`` (segno's matrix
    with finder, timing and alignment patterns, before the format and version information)."""
    width = _enc.calc_matrix_size(version)
    template = _enc.make_matrix(width, width)
    _enc.add_finder_patterns(template, width, width)
    _enc.add_alignment_patterns(template, width, width)
    cells = tuple(list(row) for row in template)  # lists: they take the placement indexes
    count = sum(row.count(0x2) for row in cells)
    _enc.add_codewords(cells, range(_PLACED, _PLACED + count), version)
    # the modules segno masks (find_and_apply_best_mask's function matrix: the dark module is not data)
    function = _enc.make_matrix(width, width)
    _enc.add_finder_patterns(function, width, width)
    _enc.add_alignment_patterns(function, width, width)
    function[-8][8] = 0x1
    pattern = _enc.get_data_mask_functions(False)[mask]
    mask_bits = bytearray(count)
    sources = []
    for i in range(width):
        for j in range(width):
            value = cells[i][j]
            if value >= _PLACED:
                index = value - _PLACED
                if function[i][j] > 0x1:
                    mask_bits[index] = pattern(i, j)
                sources.append(index)
            else:
                sources.append(count + i * width + j)
    if len(set(sources)) != width * width or len(sources) != width * width:  # pragma: no cover
        raise AssertionError("QR layout: not one source a module")
    flat_template = b"".join(template)
    gather = itemgetter(*sources)
    return (lambda bits: bytes(gather(bits + flat_template))), count, int.from_bytes(mask_bits, "big"), width


def matrix(text: str, error: str, mask: int) -> tuple[bytearray, ...]:
    """``segno.make(text, error=error, mask=mask).matrix``: rows of 0 (light) and 1 (dark). ``mask`` None
    (segno scores the 8 masks and keeps the best) and Micro QR codes are segno's own."""
    segments = _segments(text)
    error_level = _enc.normalize_errorlevel(error)
    version = _enc.find_version(segments, error_level, eci=False, micro=None)
    if version < 1 or mask is None:
        import segno

        return segno.make(text, error=error, mask=mask).matrix
    error_level = _enc.boost_error_level(version, error_level, segments, False)
    # segno.encoder._encode: the data codewords
    buffer = _enc.Buffer()
    version_range = _enc.version_range(version)
    for segment in segments:
        _enc.write_segment(buffer, segment, None, version_range, False)
    capacity = consts.SYMBOL_CAPACITY[version][error_level]
    _enc.write_terminator(buffer, capacity, None, len(buffer))
    _enc.write_padding_bits(buffer, version, len(buffer))
    _enc.write_pad_codewords(buffer, version, capacity, len(buffer))
    bits = bytes(buffer.getbits())
    codewords = int(bits.translate(_TO_ASCII_BITS), 2).to_bytes(len(bits) // 8, "big")
    # make_final_message: the blocks and their error codewords, interleaved
    data_blocks, error_blocks = [], []
    position = 0
    for info in consts.ECC[version][error_level]:
        degree = info.num_total - info.num_data
        for _ in range(info.num_blocks):
            block = codewords[position : position + info.num_data]
            position += info.num_data
            data_blocks.append(block)
            error_blocks.append(_error_codewords(block, degree))
    message = bytearray()
    for i in range(max(map(len, data_blocks))):
        message.extend(block[i] for block in data_blocks if i < len(block))
    for i in range(len(error_blocks[0])):
        message.extend(block[i] for block in error_blocks)
    # add_codewords and the mask, then the format and version information
    gather, count, mask_bits, width = _layout(version, mask)
    stream = b"".join([_BITS[c] for c in message])
    stream += bytes(count - len(stream))  # the remainder bits (0, 3, 4 or 7)
    flat = gather((int.from_bytes(stream, "big") ^ mask_bits).to_bytes(count, "big"))
    rows = tuple(bytearray(flat[i : i + width]) for i in range(0, width * width, width))
    _enc.add_format_info(rows, version, error_level, mask)
    _enc.add_version_info(rows, version)
    return rows
