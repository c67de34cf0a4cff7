"""The printed QR code's modules come from certificates/qr_matrix.py (issue 42 item 2: segno's encoder took
4.3 ms a code); they must be segno's, module for module, for every payload a certificate can carry and for
any other text the function may be given (its fallbacks included)."""

import random

import pytest
import segno
from stdnum.cn import ric

from certificates import constants, offline, printing, qr_matrix
from portal.identifiers import DocumentKind
from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db

_PERMIT_BODY = "81000019880808003"
DOCUMENTS = [
    (DocumentKind.RESIDENT_ID, None),
    (DocumentKind.RESIDENCE_PERMIT, _PERMIT_BODY + ric.calc_check_digit(_PERMIT_BODY + "0")),
    (DocumentKind.HK_MACAO_PERMIT, "H12345678"),
    (DocumentKind.PASSPORT, "USA123456789"),
]
NAMES = [
    "李娜",
    "欧阳晓燕",
    "买买提·艾力",
    "Li Na",
    "龘" * 50,  # the longest name, three UTF-8 bytes a character
    "𠮷" * 50,  # four bytes a character (CJK extension B)
    "阿卜杜热合曼·买买提明·吐尔逊·艾合买提江·阿不都瓦依提·穆罕默德·热依木江",
]
HOSTS = [
    "http://127.0.0.1:8000",
    "https://zs.example.org/jineng/",
    "https://jineng-zhengshu.rsj.example.gov.cn",
]


def segno_modules(text, error=constants.QR_ERROR_LEVEL, mask=constants.QR_MASK):
    return tuple(segno.make(text, error=error, mask=mask).matrix)


def test_certificate_payloads_of_every_shape_give_segno_s_modules(settings):
    versions = set()
    n = 0
    for host in HOSTS:
        settings.PORTAL_PUBLIC_URL = host
        for name in NAMES:
            for kind, number in DOCUMENTS:
                n += 1
                extra = {"id_number": number} if number else {}
                certificate = CertificateFactory(
                    holder_name=name, document_kind=kind, level=1 + n % 5, work_type="焊" * 100, **extra
                )
                text = offline.qr_text(certificate)
                expected = segno_modules(text)
                assert printing.qr_code(text).matrix == expected  # the lookup page's SVG is drawn from these
                assert qr_matrix.matrix(text, constants.QR_ERROR_LEVEL, constants.QR_MASK) == expected, text
                versions.add(len(expected))
    # the payloads span several versions (a pinned version would not fit them all)
    assert len(versions) >= 3, versions


def test_the_printed_png_is_drawn_from_those_modules():
    certificate = CertificateFactory(holder_name="龘" * 50)
    text = offline.qr_text(certificate)
    from tests.certificates.qr_decode import matrix_from_png_data_uri

    expected = [[bool(v) for v in row] for row in segno_modules(text)]
    assert matrix_from_png_data_uri(printing.qr_png_data_uri(text)) == expected


def test_every_version_error_level_and_mask_matches_segno():
    rnd = random.Random(42)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_.~:/?#=&%ABC"
    seen = set()
    for version in range(1, 41):
        for i, error in enumerate("lmqh"):
            # about the capacity of the version at that level, in bytes, less a random margin (under the
            # ~3 % between the largest versions)
            capacity = (
                segno.consts.SYMBOL_CAPACITY[version][segno.consts.ERROR_MAPPING[error.upper()]] // 8 - 3
            )
            length = max(5, capacity - rnd.randrange(0, max(1, capacity // 50)))
            text = "".join(rnd.choice(alphabet) for _ in range(length))
            mask = (version + i) % 8
            code = segno.make(text, error=error, mask=mask)
            assert qr_matrix.matrix(text, error, mask) == tuple(code.matrix), (version, error, mask)
            seen.add(code.version)  # "M4" where a Micro QR code holds the text (version 1, level H)
    assert set(range(1, 41)) <= seen


@pytest.mark.parametrize(
    "text",
    [
        "1234567890" * 20,  # numeric mode
        "HTTPS://ZS.EXAMPLE.ORG/V/S000012011001263000001",  # alphanumeric mode
        "點陣" * 40,  # not ISO 8859-1: UTF-8 bytes
        "naïve café " * 20,  # ISO 8859-1, not ASCII
        "ｱｲｳｴｵ" * 30,  # Shift JIS kanji/byte
        "abc",  # short enough for a Micro QR code: segno's own
        "a",
    ],
    ids=["numeric", "alphanumeric", "utf-8", "latin-1", "shift-jis", "micro", "micro-1"],
)
@pytest.mark.parametrize("error", ["l", "m", "q"])
def test_other_modes_encodings_and_micro_codes_match_segno(text, error):
    assert qr_matrix.matrix(text, error, 2) == segno_modules(text, error, 2)


def test_a_mask_left_to_segno_is_segno_s_choice():
    text = "https://zs.example.org/certificates/verify/S000012011001263000001/?s=abc"
    code = segno.make(text, error="m")
    assert qr_matrix.matrix(text, "m", None) == tuple(code.matrix)


def test_too_much_data_fails_as_segno_does():
    text = "x" * 3000
    with pytest.raises(segno.DataOverflowError):
        segno.make(text, error="m", mask=2)
    with pytest.raises(segno.DataOverflowError):
        qr_matrix.matrix(text, "m", 2)


def test_a_certificate_payload_takes_the_fast_segment_path(monkeypatch):
    """The byte-mode segment is built from one integer, not by segno's prepare_data (a bit at a time), and
    other texts still go through prepare_data."""
    text = offline.qr_text(CertificateFactory())
    expected = segno_modules(text)
    calls = []
    real = qr_matrix._enc.prepare_data
    monkeypatch.setattr(qr_matrix._enc, "prepare_data", lambda *a: calls.append(a) or real(*a))
    assert qr_matrix.matrix(text, constants.QR_ERROR_LEVEL, constants.QR_MASK) == expected
    assert calls == []
    qr_matrix.matrix("點陣" * 10, "m", 2)
    assert len(calls) == 1
