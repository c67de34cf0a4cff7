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
HEADER = [c.header for c in BASE_COLUMNS] + ["证件类型", "出生日期", "性别"]
OLD = len(BASE_COLUMNS)  # the layout before the document columns
PERMIT = "81000019900101001" + ric.calc_check_digit("810000199001010010")


def row(number, kind="", name="张三", birth="", sex=""):
    return [
        name,
        number,
        "4-03-02-01",
        "三级",
        6,
        "四级",
        "2021-03-01",
        "",
        "",
        "高职",
        "否",
        "",
        kind,
        birth,
        sex,
    ]


def read(rows, **options):
    return read_roster(xlsx(rows, HEADER), OCCUPATIONS, on=ON, **options)


def test_every_document_type_reads():
    rows = [
        row(id_number(31)),  # blank: a resident ID
        row(id_number(32), "居民身份证"),
        row(PERMIT, "港澳台居民居住证"),
        row(fullwidth("h12345678"), "港澳居民来往内地通行证", birth="1990-02-03", sex="男"),
        row("12345678", "台湾居民来往大陆通行证", birth="1991-04-05", sex="女"),
        row("USA110190101001", "外国人永久居留身份证", birth="1980-06-07", sex="F"),
        row("usa 123456789", "护照", birth="1985-08-09", sex="male"),
    ]
    result = read(rows)
    assert result.has_document_kind
    assert [r.errors for r in result.rows] == [[]] * len(rows)
    assert all(r.decision is not None for r in result.rows)
    permit, hk, _taiwan, _pr, passport = result.rows[2:]
    assert permit.profile.birth_date == date(1990, 1, 1)
    assert hk.data["id_number"] == "H12345678" and hk.profile.birth_date == date(1990, 2, 3)
    assert [r.sex for r in result.rows[2:]] == ["男", "男", "女", "女", "男"]
    assert passport.data["id_number"] == "USA123456789"


def test_csv_with_the_column_reads_too():
    data = csv_bytes(
        [row("H12345678", "港澳居民来往内地通行证", birth="1990-01-01", sex="女")], "gb18030", header=HEADER
    )
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
        [
            row(number, "护照", birth="1980-01-01", sex="男")
            for number in ("USA123456789", "usa-123456789", "GBR123456789")
        ]
    ).rows
    assert first.errors == [] and other.errors == []
    assert second.errors == ["证件号码与第 2 行重复。"]


def test_the_answer_repeats_the_column():
    result = read([row("H12345678", "港澳居民来往内地通行证")])
    sheet = load_workbook(io.BytesIO(write_result_xlsx(result))).worksheets[0]
    header, values = list(sheet.iter_rows(values_only=True))
    assert list(header) == result_headers(documents=True)
    assert header[1 + OLD] == "证件类型" and values[1 + OLD] == "港澳居民来往内地通行证"


def test_an_old_file_without_the_column_reads_as_resident_ids():
    result = read_roster(xlsx([row(id_number(34))[:OLD]], HEADER[:OLD]), OCCUPATIONS, on=ON)
    assert not result.has_document_kind and result.rows[0].errors == []
    assert "证件类型" not in result_headers()


def test_a_plan_roster_reads_the_column_and_keeps_the_type_with_the_row():
    (result,) = read(
        [row("h 1234 5678", "港澳居民来往内地通行证", birth="1990-01-01", sex="男")], titles=False, plan=True
    ).rows
    assert result.errors == []
    assert result.document == DocumentKind.HK_MACAO_PERMIT and result.data["id_number"] == "H12345678"


# -- birth date and sex: from the number where it carries them, else asked for (issue 43 item 2) ----------


def test_a_document_without_birth_date_and_sex_asks_for_them():
    (result,) = read([row("H12345678", "港澳居民来往内地通行证")]).rows
    assert result.errors == [
        "港澳居民来往内地通行证号码不含出生日期，请填写“出生日期”列。",
        "港澳居民来往内地通行证号码不含性别，请填写“性别”列。",
    ]


def test_the_given_birth_date_is_the_profiles():
    """The birth date the Annex 1 age rules read (Profile.birth_date) is the one given for a passport."""
    young, sixteen = read(
        [
            row("USA123456789", "护照", birth="2010-11-24", sex="男"),
            row("GBR123456789", "护照", birth="2010-11-23", sex="男"),
        ]
    ).rows
    assert young.profile.birth_date == date(2010, 11, 24) and sixteen.profile.birth_date == date(2010, 11, 23)


def test_a_cell_that_contradicts_the_number_is_an_error():
    (result,) = read([row(PERMIT, "港澳台居民居住证", birth="1990-01-02", sex="女")]).rows
    assert result.errors == [
        "出生日期与证件号码中的出生日期（1990-01-01）不一致。",
        "性别与证件号码中的性别（男）不一致。",
    ]
    (agreeing,) = read([row(PERMIT, "港澳台居民居住证", birth="1990/1/1", sex="男")]).rows
    assert agreeing.errors == []


def test_an_unreadable_birth_date_or_sex_is_an_error():
    (result,) = read([row("12345678", "台湾居民来往大陆通行证", birth="九零年", sex="未知")]).rows
    assert result.errors == [
        "出生日期“九零年”无法识别（应为 YYYY-MM-DD）。",
        "性别“未知”无法识别（应为男或女）。",
    ]
    (late,) = read([row("12345678", "台湾居民来往大陆通行证", birth="2026-11-24", sex="女")]).rows
    assert late.errors == ["出生日期晚于检查日期。"]
