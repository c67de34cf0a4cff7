"""portal/identifiers.py normalises typed text in one place (issue 22 finding 5): NFKC (full-width
characters of Chinese phone keyboards), whitespace trimmed, U+3000 included."""

from portal import identifiers
from tests.portal.factories import id_number

IDEOGRAPHIC_SPACE = "\u3000"


def fullwidth(text: str) -> str:
    """What a Chinese phone keyboard in full-width mode types: ASCII letters and digits + 0xFEE0."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_normalize_text_applies_nfkc_and_trims_the_ideographic_space():
    assert identifiers.normalize_text(f"{IDEOGRAPHIC_SPACE} ＡＢ１２{IDEOGRAPHIC_SPACE}") == "AB12"
    assert identifiers.normalize_text(None) == ""


def test_a_fullwidth_id_number_in_groups_reads_as_ascii():
    number = id_number(5)
    assert number.endswith("X")
    typed = f"{fullwidth(number[:6])}{IDEOGRAPHIC_SPACE}{fullwidth(number[6:14])} {fullwidth(number[14:].lower())}"
    assert identifiers.normalize_id_number(typed) == number
    identifiers.validate_id_number(typed)
    assert identifiers.mask_id_number(typed) == number[:6] + "********" + number[-4:]


def test_a_fullwidth_certificate_code_reads_as_ascii():
    code = "S000012011001263000001"
    assert identifiers.normalize_certificate_code(fullwidth(code.lower())) == code
    assert identifiers.normalize_certificate_code(f"{IDEOGRAPHIC_SPACE}{code[:8]} {code[8:]}\n") == code


def test_names_lose_the_ideographic_space_at_the_ends_and_as_padding():
    assert (
        identifiers.normalize_name(f"{IDEOGRAPHIC_SPACE}王{IDEOGRAPHIC_SPACE}五{IDEOGRAPHIC_SPACE}") == "王五"
    )
    assert identifiers.normalize_name(" 买买提·艾力 ") == "买买提·艾力"
    assert identifiers.normalize_name("ＪＯＨＮ　 SMITH") == "JOHN SMITH"
    assert identifiers.normalize_name(IDEOGRAPHIC_SPACE) == ""
