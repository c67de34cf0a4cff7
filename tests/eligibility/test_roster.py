"""Roster checks: per-row decisions and row errors that never stop the other rows; XLSX and CSV in UTF-8
and GB18030; formula injection escaped in the result; the template matches the documented columns."""

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from eligibility import roster
from eligibility.roster import COLUMNS, RosterError, read_roster, write_result_xlsx
from tests.portal.factories import id_number

ON = date(2026, 11, 23)
OCCUPATIONS = {"4-03-02-01": "中式烹调师", "6-18-01-01": "车工"}
HEADER = [c.header for c in COLUMNS]


GOOD = [
    [
        "张三",
        id_number(123, "19900307"),
        "4-03-02-01",
        "三级/高级工",
        6,
        "四级",
        "2021-03-01",
        "",
        "",
        "高职",
        "否",
        "",
    ],
    ["李四", id_number(124, "20000501"), "6-18-01-01", 4, 5.5, "", "", "", "", "", "", ""],
    ["王五", id_number(125, "19850101"), "6-18-01-01", "二级", 3, "", "", "中级", "2024-01-01", "", "", ""],
]
BROKEN = [
    [
        "赵六",
        id_number(126, "19900307")[:-1] + "0",
        "4-03-02-01",
        3,
        10,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],  # checksum
    ["钱七", id_number(127, "19900307"), "9-99-99-99", 3, 10, "", "", "", "", "", "", ""],  # unknown code
    [
        "孙八",
        id_number(128, "19900307"),
        "4-03-02-01",
        3,
        6,
        "四级",
        "2021-13-45",
        "",
        "",
        "",
        "",
        "",
    ],  # date
]
if BROKEN[0][1] == id_number(126, "19900307"):
    BROKEN[0][1] = BROKEN[0][1][:-1] + "1"


def xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def test_three_good_and_three_broken_rows_xlsx():
    result = read_roster(xlsx(GOOD + BROKEN), OCCUPATIONS, on=ON)
    assert len(result.rows) == 6
    assert result.decided_count == 3 and result.error_count == 3
    zhang, li, wang, zhao, qian, sun = result.rows
    assert [r.line for r in result.rows] == [2, 3, 4, 5, 6, 7]
    assert zhang.decision.eligible and zhang.decision.clause == "三(二)"
    assert li.decision.eligible and li.decision.clause == "二(一)"
    assert wang.decision.clause == "四(三)" and wang.bridge.eligible and wang.bridge.theory_exam_waived
    assert "身份证号码无效" in zhao.errors[0] and zhao.decision is None
    assert "9-99-99-99" in qian.errors[0] and "不在职业目录" in qian.errors[0]
    assert "证书取得日期" in sun.errors[0] and "无法识别" in sun.errors[0]
    assert zhang.occupation == "中式烹调师"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_and_gb18030(encoding):
    result = read_roster(csv_bytes(GOOD + BROKEN, encoding), OCCUPATIONS, on=ON)
    assert [r.ok for r in result.rows] == [True, True, True, False, False, False]
    assert result.rows[0].data["name"] == "张三"
    assert result.rows[0].decision.clause == "三(二)"


def test_file_object_and_excel_dates():
    rows = [
        ["张三", id_number(123, "19900307"), "4-03-02-01", 3, 6, 4, datetime(2021, 3, 1), "", "", "", "", ""]
    ]
    result = read_roster(io.BytesIO(xlsx(rows)), OCCUPATIONS, on=ON)
    assert result.rows[0].decision.clause == "三(二)"
    assert result.rows[0].data["certificate_date"] == "2021-03-01"


def test_callable_lookup_and_columns_in_any_order():
    header = list(reversed(HEADER))
    rows = [list(reversed(GOOD[0] + [""] * (len(HEADER) - len(GOOD[0]))))]  # padded to the title columns
    result = read_roster(
        xlsx(rows, header), lambda code: {"code": code} if code == "4-03-02-01" else None, on=ON
    )
    assert result.rows[0].decision.clause == "三(二)"


def test_row_errors_are_collected_together():
    row = ["", "123", "", "七级", "-1", "九级", "", "教授", "", "幼儿园", "也许", ""]
    result = read_roster(xlsx([row, GOOD[0]]), OCCUPATIONS, on=ON)
    errors = result.rows[0].errors
    assert len(errors) >= 7
    assert result.rows[1].ok


def test_certificate_without_date_and_date_in_future():
    rows = [
        ["甲", id_number(123, "19900307"), "4-03-02-01", 3, 6, 4, "", "", "", "", "", ""],
        ["乙", id_number(124, "19900307"), "4-03-02-01", 3, 6, 4, "2027-01-01", "", "", "", "", ""],
    ]
    result = read_roster(xlsx(rows), OCCUPATIONS, on=ON)
    assert "缺少证书取得日期" in result.rows[0].errors[0]
    assert "晚于检查日期" in result.rows[1].errors[0]


def test_duplicate_id_number():
    result = read_roster(xlsx([GOOD[0], GOOD[0]]), OCCUPATIONS, on=ON)
    assert result.rows[0].ok
    assert "与第 2 行重复" in result.rows[1].errors[0]


def test_missing_required_column_and_empty_file():
    with pytest.raises(RosterError, match="缺少必填列：职业代码"):
        read_roster(xlsx([], [h for h in HEADER if h != "职业代码"]), OCCUPATIONS, on=ON)
    with pytest.raises(RosterError, match="没有表头"):
        read_roster(b"\n\n", OCCUPATIONS, on=ON)
    with pytest.raises(RosterError, match="XLSX"):
        read_roster(b"PK\x03\x04garbage", OCCUPATIONS, on=ON)


def test_too_many_rows():
    with pytest.raises(RosterError, match="超过 2 行"):
        read_roster(xlsx(GOOD), OCCUPATIONS, on=ON, max_rows=2)


def test_blank_rows_are_skipped_and_line_numbers_kept():
    result = read_roster(xlsx([GOOD[0], [None] * 12, GOOD[1]]), OCCUPATIONS, on=ON)
    assert [r.line for r in result.rows] == [2, 4]


def test_result_xlsx_escapes_formula_injection():
    # a CSV, so the strings arrive as text (openpyxl would store them as formulas)
    evil = [
        '=HYPERLINK("http://x")',
        id_number(129, "19900307"),
        "4-03-02-01",
        3,
        10,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    plus = ["+cmd", id_number(124, "19900307"), "@SUM(A1)", "-3", 10, "", "", "", "", "", "", ""]
    result = read_roster(csv_bytes([evil, plus, GOOD[0]], "utf-8"), OCCUPATIONS, on=ON)
    workbook = load_workbook(io.BytesIO(write_result_xlsx(result)), read_only=True)
    values = list(workbook.worksheets[0].iter_rows(values_only=True))
    header, first, second, third = values
    assert header[0] == "行号" and "是否符合" in header and "各条款说明" in header
    assert first[1] == '\'=HYPERLINK("http://x")'
    assert second[1] == "'+cmd" and second[3] == "'@SUM(A1)" and second[4] == "'-3"
    assert third[header.index("是否符合")] == "符合"
    assert third[header.index("符合条款")] == "三(二)"
    assert "三(二) 满足" in third[header.index("各条款说明")]
    assert not any(isinstance(v, str) and v[:1] in "=+-@" for row in values for v in row)


def test_safe_cell():
    assert roster.safe_cell("=1+1") == "'=1+1"
    assert roster.safe_cell("-") == "'-"
    assert roster.safe_cell("张三") == "张三"
    assert roster.safe_cell(3) == 3


def test_template_file_matches_the_columns():
    path = Path(__file__).resolve().parents[2] / "fixtures" / "roster_template.xlsx"
    workbook = load_workbook(path, read_only=True)
    header = next(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(header) == HEADER
    result = read_roster(path.read_bytes(), {"4-03-02-01": "中式烹调师", "4-03-02-02": "中式面点师"}, on=ON)
    assert all(row.ok for row in result.rows), [row.errors for row in result.rows]
    assert [row.decision.eligible for row in result.rows] == [True, True]


def test_csv_template_matches_the_columns():
    path = Path(__file__).resolve().parents[2] / "fixtures" / "roster_template.csv"
    result = read_roster(path.read_bytes(), {"4-03-02-01": "中式烹调师", "4-03-02-02": "中式面点师"}, on=ON)
    assert result.columns == [c.key for c in COLUMNS]
    assert all(row.ok for row in result.rows)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2021-03-01", date(2021, 3, 1)), ("2021/3/1", date(2021, 3, 1)), ("2021.3.1", date(2021, 3, 1)),
     ("2021年3月1日", date(2021, 3, 1)), (20210301, date(2021, 3, 1)), ("20210301", date(2021, 3, 1)),
     (44256, date(2021, 3, 1)), (datetime(2021, 3, 1, 0, 0), date(2021, 3, 1))],
)  # fmt: skip
def test_parse_date(value, expected):
    assert roster.parse_date(value) == expected


@pytest.mark.parametrize("value", ["2021-02-30", "next year", "", 3.5e9])
def test_parse_date_rejects(value):
    with pytest.raises((ValueError, OverflowError)):
        roster.parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3),
        ("3", 3),
        (3.0, 3),
        ("三级", 3),
        ("高级工", 3),
        ("三级/高级工", 3),
        ("2级", 2),
        ("技师", 2),
        ("高级技师", 1),
    ],
)
def test_parse_level(value, expected):
    assert roster.parse_level(value) == expected
