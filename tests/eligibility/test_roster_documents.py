"""The roster's optional 证件类型 column (issue 43 slice 1): numbers are checked through
portal.identifiers.check_document; a file without the column, or a blank cell, reads as 居民身份证."""

import io
from datetime import date

from openpyxl import load_workbook
from stdnum.cn import ric

from eligibility.roster import BASE_COLUMNS, read_roster, result_headers, write_result_xlsx
from portal.identifiers import DocumentKind
from tests.eligibility.test_roster import OCCUPATIONS, csv_bytes, xlsx
from tests.portal.factories import id_number
from tests.portal.test_typed_text import fullwidth

ON = date(2026, 11, 23)
HEADER = [c.header for c in BASE_COLUMNS] + ["证件类型"]
PERMIT = "81000019900101001" + ric.calc_check_digit("810000199001010010")


def row(number, kind="", name="张三"):
    return [name, number, "4-03-02-01", "三级", 6, "四级", "2021-03-01", "", "", "高职", "否", "", kind]


def read(rows, **options):
    return read_roster(xlsx(rows, HEADER), OCCUPATIONS, on=ON, **options)


def test_every_document_type_reads():
    rows = [
        row(id_number(31)),  # blank: a resident ID
        row(id_number(32), "居民身份证"),
        row(PERMIT, "港澳台居民居住证"),
        row(fullwidth("h12345678"), "港澳居民来往内地通行证"),
        row("12345678", "台湾居民来往大陆通行证"),
        row("USA110190101001", "外国人永久居留身份证"),
        row("usa 123456789", "护照"),
    ]
    result = read(rows)
    assert result.has_document_kind
    assert [r.errors for r in result.rows] == [[]] * len(rows)
    assert all(r.decision is not None for r in result.rows)
    permit, hk, _taiwan, _pr, passport = result.rows[2:]
    assert permit.profile.birth_date == date(1990, 1, 1)
    assert hk.data["id_number"] == "H12345678" and hk.profile.birth_date is None
    assert passport.data["id_number"] == "USA123456789"


def test_csv_with_the_column_reads_too():
    data = csv_bytes([row("H12345678", "港澳居民来往内地通行证")], "gb18030", header=HEADER)
    (result,) = read_roster(data, OCCUPATIONS, on=ON).rows
    assert result.errors == []


def test_a_wrong_number_names_its_type():
    rows = [
        row(PERMIT[:-1] + ("0" if PERMIT[-1] != "0" else "1"), "港澳台居民居住证"),
        row("XYZ123456", "护照"),
        row("H1234567", "港澳居民来往内地通行证"),
        row(id_number(33)[:-1], ""),
    ]
    errors = [r.errors[0] for r in read(rows).rows]
    assert "港澳台居民居住证号码校验位不正确" in errors[0]
    assert "护照号码应以签发国家的三位字母代码" in errors[1]
    assert "港澳居民来往内地通行证号码应为 9 位或 11 位" in errors[2]
    assert errors[3] == "身份证号码无效：居民身份证号码应为 18 位。"


def test_an_unknown_type_is_a_row_error():
    (result,) = read([row("H12345678", "驾驶证")]).rows
    assert result.errors == ["证件类型“驾驶证”无法识别（见名单说明）。"]


def test_the_same_document_twice_is_a_duplicate():
    first, second, other = read(
        [row("USA123456789", "护照"), row("usa-123456789", "护照"), row("GBR123456789", "护照")]
    ).rows
    assert first.errors == [] and other.errors == []
    assert second.errors == ["证件号码与第 2 行重复。"]


def test_the_answer_repeats_the_column():
    result = read([row("H12345678", "港澳居民来往内地通行证")])
    sheet = load_workbook(io.BytesIO(write_result_xlsx(result))).worksheets[0]
    header, values = list(sheet.iter_rows(values_only=True))
    assert list(header) == result_headers(documents=True)
    assert header[len(HEADER)] == "证件类型" and values[len(HEADER)] == "港澳居民来往内地通行证"


def test_an_old_file_without_the_column_reads_as_resident_ids():
    result = read_roster(xlsx([row(id_number(34))[:-1]], HEADER[:-1]), OCCUPATIONS, on=ON)
    assert not result.has_document_kind and result.rows[0].errors == []
    assert "证件类型" not in result_headers()


def test_a_plan_roster_reads_the_column_and_keeps_the_type_with_the_row():
    (result,) = read([row("h 1234 5678", "港澳居民来往内地通行证")], titles=False, plan=True).rows
    assert result.errors == []
    assert result.document == DocumentKind.HK_MACAO_PERMIT and result.data["id_number"] == "H12345678"
