"""The 22-character code of seed 004 附件5: build, parse, round trip, and every rejected form."""

import pytest

from certificates.codes import GB_T_2260_PROVINCES, CertificateCode, check_prefix, parse_code


def test_issue_example_builds():
    code = CertificateCode(
        kind="S", route="0000", province="12", institution="011001", year=2026, level=3, serial=1
    )
    assert str(code) == "S000012011001263000001"
    assert len(str(code)) == 22


def test_issue_example_parses():
    assert parse_code("Y000021011001263000001") == CertificateCode(
        kind="Y", route="0000", province="21", institution="011001", year=2026, level=3, serial=1
    )


def test_national_rule_example_reads():
    # 人社鉴发〔2019〕2号: Y000123XXXXXX195000001 = Y, route 0001, Heilongjiang 23, 2019, level 5, serial 1
    code = parse_code("Y000123000000195000001")
    assert (code.kind, code.route, code.province, code.year, code.level, code.serial) == (
        "Y",
        "0001",
        "23",
        2019,
        5,
        1,
    )


@pytest.mark.parametrize(
    "text",
    [
        "S000012011001263000001",
        "Y999912011001261999999",  # ministry route 9999, level 1, last serial
        "Y000021140999005000001",  # year 2000
        "S000182000000995123456",  # Macao, 2099
    ],
)
def test_round_trip(text):
    assert str(parse_code(text)) == text


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("serial", [1, 2, 999_998, 999_999])
def test_round_trip_levels_and_serial_bounds(level, serial):
    code = CertificateCode(
        kind="Y", route="0001", province="23", institution="140001", year=2027, level=level, serial=serial
    )
    assert parse_code(str(code)) == code


@pytest.mark.parametrize(
    "text, part",
    [
        ("S00001201100126300000", "length"),  # 21 characters
        ("S0000120110012630000011", "length"),  # 23 characters
        ("", "length"),
        ("s000012011001263000001", "kind"),  # lower-case letter
        ("y000012011001263000001", "kind"),
        ("X000012011001263000001", "kind"),  # neither Y nor S
        ("0000012011001263000001", "kind"),
        ("S00001201100126300000A", "digits"),
        ("S0000１2011001263000001", "digits"),  # a full-width digit
        ("S000012011001260000001", "level"),  # level 0
        ("S000012011001266000001", "level"),  # level 6
        ("S000012011001269000001", "level"),
        ("S000012011001263000000", "serial"),  # serial 000000
        ("S000099011001263000001", "province"),  # not GB/T 2260
        ("S000000011001263000001", "province"),
        ("S000024011001263000001", "province"),  # 24 is unassigned
        ("S000066011001263000001", "province"),
    ],
)
def test_rejected_forms_name_the_bad_part(text, part):
    with pytest.raises(ValueError) as error:
        parse_code(text)
    assert str(error.value).startswith(part + ":")


def test_not_text_rejected():
    with pytest.raises(ValueError, match="^code:"):
        parse_code(None)


@pytest.mark.parametrize(
    "changes, part",
    [
        ({"kind": "y"}, "kind"),
        ({"route": "000"}, "route"),
        ({"route": "00a0"}, "route"),
        ({"province": "99"}, "province"),
        ({"institution": "01100"}, "institution"),
        ({"year": 1999}, "year"),
        ({"year": 2100}, "year"),
        ({"level": 0}, "level"),
        ({"level": 6}, "level"),
        ({"serial": 0}, "serial"),
        ({"serial": 1_000_000}, "serial"),
    ],
)
def test_building_a_bad_code_is_refused(changes, part):
    values = dict(kind="S", route="0000", province="12", institution="011001", year=2026, level=3, serial=1)
    values.update(changes)
    with pytest.raises(ValueError, match=f"^{part}:"):
        CertificateCode(**values)


def test_province_table_is_gb_t_2260():
    assert GB_T_2260_PROVINCES["11"] == "北京市"
    assert GB_T_2260_PROVINCES["12"] == "天津市"
    assert GB_T_2260_PROVINCES["21"] == "辽宁省"  # seed 004 附件5 三
    assert GB_T_2260_PROVINCES["23"] == "黑龙江省"
    assert len(GB_T_2260_PROVINCES) == 34


def test_check_prefix():
    assert check_prefix(("Y", "0000", "21", "014001")) == ("Y", "0000", "21", "014001")
    with pytest.raises(ValueError, match="^prefix:"):
        check_prefix(("Y", "0000", "21"))
