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


def _outcome(validate, number):
    try:
        validate(number)
    except Exception as exc:  # noqa: BLE001 - the exception's class is the answer compared
        return type(exc)
    return None


def test_the_plain_number_path_answers_as_python_stdnum():
    """issue 42 item 3: identifiers._ric_validate (stdnum's own pieces, the address code looked up once per
    code and birth year) accepts and refuses exactly what stdnum.cn.ric.validate does, with the same
    exception, cold and with its cache warm."""
    import random

    from stdnum.cn import ric

    from portal import identifiers

    rng = random.Random(42)
    numbers = [
        VALID_ID,
        VALID_ID.lower(),
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105 19491231 002X",
        "11010519491231002",
    ]
    for _ in range(3000):
        code = rng.choice(("110105", "120101", "130102", "330106", "440300", "510104", "650102", "810000"))
        if rng.random() < 0.4:
            code = f"{rng.randrange(100000, 999999)}"
        body = f"{code}{rng.randrange(1890, 2030)}{rng.randrange(0, 14):02d}{rng.randrange(0, 33):02d}"
        body += f"{rng.randrange(1000):03d}"
        check = ric.calc_check_digit(body + "0")
        if rng.random() < 0.2:
            check = rng.choice("0123456789X")
        numbers.append(body + check)
    identifiers._BIRTH_PLACES.clear()
    for _round in ("cold", "warm"):
        for number in numbers:
            assert _outcome(identifiers._ric_validate, number) == _outcome(ric.validate, number), number
    assert sum(_outcome(ric.validate, n) is None for n in numbers) > 300  # valid numbers were compared too
