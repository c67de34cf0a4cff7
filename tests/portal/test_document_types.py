"""Document types (issue 43 slice 1): portal.identifiers.check_document, mask_document, document_birth_date
and document_sex, per type. Valid numbers are made here with the public GB 11643 check (stdnum's
ric.calc_check_digit, ISO 7064 MOD 11-2)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from portal.identifiers import (
    DOCUMENT_TYPES,
    DocumentKind,
    check_document,
    document_birth_date,
    document_kind,
    document_sex,
    mask_document,
    mask_id_number,
    validate_id_number,
)

K = DocumentKind


def with_check(body17: str) -> str:
    """The 17 body digits and their GB 11643 check character."""
    return body17 + ric.calc_check_digit(body17 + "0")


def wrong_check(number: str) -> str:
    right = number[-1]
    return number[:-1] + ("0" if right != "0" else "1")


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


RESIDENT_ID = "11010519491231002X"  # the GB 11643 example
PERMIT_HK = with_check("81000019900101001")  # a man (17th digit 1)
PERMIT_TW = with_check("83000019851231002")  # a woman (17th digit 2)
HK_MACAO = "H12345678"
HK_MACAO_LONG = "M1234567801"
TAIWAN = "12345678"
PR_2017 = "USA110190101001"
PR_2023 = with_check("91184019900101001")
PASSPORT = "USA123456789"

VALID = [
    (K.RESIDENT_ID, RESIDENT_ID),
    (K.RESIDENCE_PERMIT, PERMIT_HK),
    (K.RESIDENCE_PERMIT, PERMIT_TW),
    (K.RESIDENCE_PERMIT, with_check("82000020000229003")),
    (K.HK_MACAO_PERMIT, HK_MACAO),
    (K.HK_MACAO_PERMIT, HK_MACAO_LONG),
    (K.TAIWAN_PERMIT, TAIWAN),
    (K.PERMANENT_RESIDENCE, PR_2017),
    (K.PERMANENT_RESIDENCE, PR_2023),
    (K.PASSPORT, PASSPORT),
    (K.PASSPORT, "GBR12345"),
    (K.PASSPORT, "DEU" + "C" * 20),
]


def test_one_row_per_kind():
    assert set(DOCUMENT_TYPES) == set(DocumentKind)
    assert [str(k.label) for k in DocumentKind] == [
        "居民身份证",
        "港澳台居民居住证",
        "港澳居民来往内地通行证",
        "台湾居民来往大陆通行证",
        "外国人永久居留身份证",
        "护照",
    ]


@pytest.mark.parametrize("kind, number", VALID)
def test_valid_numbers(kind, number):
    assert check_document(kind, number) == number


@pytest.mark.parametrize("kind, number", VALID)
def test_full_width_spaced_lower_case_input_is_folded(kind, number):
    typed = "\u3000" + full_width(number[:4].lower()) + " " + full_width(number[4:].lower()) + " "
    assert check_document(kind, typed) == number


@pytest.mark.parametrize("name", ["PASSPORT", "passport", "护照", K.PASSPORT])
def test_kind_by_name_value_or_label(name):
    assert document_kind(name) is K.PASSPORT
    assert check_document(name, "usa 123456789") == PASSPORT
    assert check_document(K.PASSPORT, "USA-123456789") == PASSPORT


def test_unknown_kind():
    with pytest.raises(ValueError):
        document_kind("驾驶证")


def refused(kind, number) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        check_document(kind, number)
    return caught.value.error_list[0].code, caught.value.messages[0]


@pytest.mark.parametrize(
    "kind, number",
    [
        (K.RESIDENCE_PERMIT, PERMIT_HK),
        (K.RESIDENCE_PERMIT, PERMIT_TW),
        (K.PERMANENT_RESIDENCE, PR_2023),
    ],
)
def test_wrong_check_character(kind, number):
    code, message = refused(kind, wrong_check(number))
    assert code == "document_checksum"
    assert message == f"{kind.label}号码校验位不正确。"


def test_resident_id_wrong_check_character_keeps_its_message():
    code, message = refused(K.RESIDENT_ID, wrong_check(RESIDENT_ID))
    assert (code, message) == ("id_checksum", "居民身份证号码校验位不正确。")
    with pytest.raises(ValidationError):
        validate_id_number(wrong_check(RESIDENT_ID))
    validate_id_number(RESIDENT_ID)


@pytest.mark.parametrize(
    "kind, number",
    [
        (K.RESIDENT_ID, RESIDENT_ID),
        (K.RESIDENCE_PERMIT, PERMIT_HK),
        (K.HK_MACAO_PERMIT, HK_MACAO),
        (K.HK_MACAO_PERMIT, HK_MACAO_LONG),
        (K.TAIWAN_PERMIT, TAIWAN),
        (K.PERMANENT_RESIDENCE, PR_2017),
        (K.PERMANENT_RESIDENCE, PR_2023),
    ],
)
def test_wrong_length_just_under_and_just_over(kind, number):
    check_document(kind, number)  # at the length
    for wrong in (number[:-1], number + "1"):
        code, message = refused(kind, wrong)
        assert code in ("document_length", "id_length"), wrong
        assert message.startswith(f"{kind.label}号码应为"), message


def test_passport_number_length():
    assert check_document(K.PASSPORT, "USA12345") == "USA12345"  # 5, the shortest
    assert check_document(K.PASSPORT, "USA" + "9" * 20)  # 20, the longest
    for wrong in ("USA1234", "USA" + "9" * 21):
        code, message = refused(K.PASSPORT, wrong)
        assert code == "document_length"
        assert message.startswith("护照号码")


def test_passport_country():
    for wrong in ("XYZ123456789", "CHN123456789", "12345678901"):
        code, message = refused(K.PASSPORT, wrong)
        assert code == "document_region"
        assert "ISO 3166-1" in message
    code, _ = refused(K.PASSPORT, "USA1234.5678")
    assert code == "document_format"


def test_residence_permit_wrong_region_code():
    for region in ("840000", "110105", "810100"):
        number = with_check(region + "19900101001")
        code, message = refused(K.RESIDENCE_PERMIT, number)
        assert code == "document_region"
        assert message.startswith("港澳台居民居住证号码地区码不正确")
    # a resident ID number is not a residence permit, and a residence permit not a resident ID
    assert refused(K.RESIDENCE_PERMIT, RESIDENT_ID)[0] == "document_region"
    assert refused(K.RESIDENT_ID, PERMIT_HK)[0] == "id_format"


@pytest.mark.parametrize(
    "kind, number, code",
    [
        (K.RESIDENCE_PERMIT, with_check("81000019900230001"), "document_birth_date"),
        (K.RESIDENCE_PERMIT, "81000019900101001A", "document_format"),
        (K.HK_MACAO_PERMIT, "A12345678", "document_format"),
        (K.HK_MACAO_PERMIT, "H1234567X", "document_format"),
        (K.TAIWAN_PERMIT, "1234567A", "document_format"),
        (K.PERMANENT_RESIDENCE, "US1110190101001", "document_format"),
        (K.PERMANENT_RESIDENCE, with_check("11010519491231002"), "document_format"),  # no leading 9
        (K.PERMANENT_RESIDENCE, with_check("91184019901301001"), "document_birth_date"),
    ],
)
def test_wrong_format(kind, number, code):
    got, message = refused(kind, number)
    assert got == code
    assert message.startswith(str(kind.label))


@pytest.mark.parametrize(
    "kind, number, masked",
    [
        (K.RESIDENT_ID, RESIDENT_ID, "110105********002X"),
        (K.RESIDENCE_PERMIT, PERMIT_HK, "810000********" + PERMIT_HK[-4:]),
        (K.HK_MACAO_PERMIT, HK_MACAO, "H12****78"),
        (K.HK_MACAO_PERMIT, HK_MACAO_LONG, "M123*****01"),
        (K.TAIWAN_PERMIT, TAIWAN, "123****8"),
        (K.PERMANENT_RESIDENCE, PR_2017, "USA11*******001"),
        (K.PERMANENT_RESIDENCE, PR_2023, "911840********" + PR_2023[-4:]),
        (K.PASSPORT, PASSPORT, "USA123****89"),
        (K.PASSPORT, "usa 12345", "USA12***"),
    ],
)
def test_masking_per_type(kind, number, masked):
    assert mask_document(kind, number) == masked


@pytest.mark.parametrize("kind, number", VALID)
def test_masking_hides_at_least_the_resident_id_share(kind, number):
    masked = mask_document(kind, number)
    part = masked[3:] if kind == K.PASSPORT else masked
    assert part.count("*") / len(part) >= 8 / 18
    assert len(masked) == len(number)


def test_resident_id_masking_is_unchanged():
    assert mask_document(K.RESIDENT_ID, RESIDENT_ID) == mask_id_number(RESIDENT_ID)


@pytest.mark.parametrize(
    "kind, number, born, sex",
    [
        (K.RESIDENT_ID, RESIDENT_ID, datetime.date(1949, 12, 31), "F"),
        (K.RESIDENCE_PERMIT, PERMIT_HK, datetime.date(1990, 1, 1), "M"),
        (K.RESIDENCE_PERMIT, PERMIT_TW, datetime.date(1985, 12, 31), "F"),
        (K.PERMANENT_RESIDENCE, PR_2023, datetime.date(1990, 1, 1), "M"),
        (K.PERMANENT_RESIDENCE, "\uff35ＳＡ110190101001", None, None),  # the 2017 card does not say
        (K.HK_MACAO_PERMIT, HK_MACAO, None, None),
        (K.TAIWAN_PERMIT, TAIWAN, None, None),
        (K.PASSPORT, PASSPORT, None, None),
        (K.RESIDENCE_PERMIT, wrong_check(PERMIT_HK), None, None),  # not a valid number
    ],
)
def test_birth_date_and_sex(kind, number, born, sex):
    assert document_birth_date(kind, number) == born
    assert document_sex(kind, number) == sex


def test_birth_date_from_full_width_input():
    assert document_birth_date(K.RESIDENT_ID, full_width(RESIDENT_ID)) == datetime.date(1949, 12, 31)
