import pytest
from django.core.exceptions import ValidationError

from portal.identifiers import mask_id_number, validate_credit_code, validate_id_number

VALID_ID = "11010519491231002X"  # the GB 11643 example number


def test_valid_id_number():
    validate_id_number(VALID_ID)
    validate_id_number(VALID_ID.lower())


@pytest.mark.parametrize("value, message", [("110105194912310021", "校验位"), ("1101051949123100", "18 位")])
def test_invalid_id_number(value, message):
    with pytest.raises(ValidationError) as caught:
        validate_id_number(value)
    assert message in caught.value.messages[0]


def test_mask_keeps_first_six_and_last_four():
    assert mask_id_number(VALID_ID) == "110105********002X"


def test_credit_code_example():
    validate_credit_code("91110000600037341L")
    with pytest.raises(ValidationError):
        validate_credit_code("91110000600037341M")


def test_a_score_sheet_reads_its_type_and_number_cells_together():
    from portal.identifiers import DocumentKind, sheet_document

    assert sheet_document("", " 11010519491231002x ") == (None, "11010519491231002X")
    assert sheet_document("护 照", "usa-123456789") == (DocumentKind.PASSPORT, "USA123456789")
    assert sheet_document("港澳居民来往内地通行证", "ｈ12345678") == (
        DocumentKind.HK_MACAO_PERMIT,
        "H12345678",
    )
    with pytest.raises(ValueError, match="证件类型“军官证”无法识别"):
        sheet_document("军官证", "12345678")
