"""The XLSX reader of the roster (portal.sheets.xlsx_values, python-calamine since issue 42 item 3) gives
what openpyxl's read-only reader gave (portal.sheets.openpyxl_rows): the same values for crafted cells, the
same answer for a roster, the same error for a corrupt file, the first worksheet."""

import io
import re
import zipfile
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook

from eligibility import roster
from eligibility.roster import RosterError, read_roster, write_result_xlsx
from portal import sheets
from tests.eligibility.test_roster import BROKEN, GOOD, OCCUPATIONS, xlsx

ON = date(2026, 11, 23)


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet_data(data: bytes, rows_xml: bytes) -> bytes:
    """``data`` with its first sheet's rows replaced by ``rows_xml`` (and no <dimension>, which openpyxl
    would otherwise trust for the sheet's size)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb"<dimension[^>]*/>", b"", content)
                content = re.sub(
                    rb"<sheetData>.*</sheetData>|<sheetData/>",
                    b"<sheetData>" + rows_xml + b"</sheetData>",
                    content,
                    flags=re.S,
                )
            target.writestr(item, content)
    return out.getvalue()


def trimmed(rows) -> list[list]:
    """Rows without their trailing empty cells: openpyxl pads a row to the sheet's width only when the
    file declares it (the readers downstream read a missing cell as None)."""
    result = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        result.append(row)
    return result


def assert_same_values(data: bytes, monkeypatch, by_calamine=True):
    """xlsx_values reads ``data`` as openpyxl_rows does; ``by_calamine``: without falling back to it."""
    old = trimmed(sheets.openpyxl_rows(data))
    if by_calamine:
        monkeypatch.setattr(sheets, "openpyxl_rows", fail)
    new = trimmed(sheets.xlsx_values(data))
    monkeypatch.undo()
    assert new == old
    # the same types too (5 and 5.0 compare equal): only <v>5.0</v>, which no spreadsheet program writes,
    # is an int here (5) and a float for openpyxl (5.0), which every reader downstream takes alike
    assert [[kind(v) for v in row] for row in new] == [[kind(v) for v in row] for row in old]


def fail(data):
    raise AssertionError("read by openpyxl")


def kind(value):
    return int if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else type(value)


CRAFTED = [
    5,  # int
    -3,
    1.5,  # float
    True,  # bool
    False,
    0,
    date(2021, 3, 1),  # a date (openpyxl: datetime at midnight)
    datetime(2021, 3, 1, 10, 30),  # datetime
    datetime(2021, 3, 1),
    time(10, 30),
    None,  # blank
    "",
    "   ",  # spaces
    "  张三 ",
    "120101199003071235",  # a long digit string, as text
    "０１２３４５６７８９",  # full-width text
    "王　五",  # an ideographic space
    1.20101199003071e17,  # an ID number typed as a number (Excel keeps 15 digits)
    1e20,
    "=1+2",  # text that looks like a formula (openpyxl stores it as one, with no cached value)
    "a\nb",
    "三级/高级工",
]


def test_crafted_cells_read_as_openpyxl_reads_them(monkeypatch):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号码"])
    sheet.append(CRAFTED)
    sheet.append([])
    sheet.append([None, None, "after a blank row"])
    assert_same_values(saved(workbook), monkeypatch)


def test_cells_as_other_programs_write_them(monkeypatch):
    """Leading empty rows and columns, a formula's cached value (number and text), an inline string, a
    boolean, a number written as 5.0 and as 1E+2, an ID number in Excel's 15
    digits. (Shared strings: the bench's roster, written by openpyxl's write-only mode, has them.)"""
    workbook = Workbook()
    cells = (
        b'<row r="3"><c r="C3"><f>1+2</f><v>3</v></c><c r="D3" t="str"><f>"a"</f><v>a</v></c>'
        b'<c r="E3" t="inlineStr"><is><t xml:space="preserve"> inline </t></is></c>'
        b'<c r="G3" t="b"><v>1</v></c><c r="H3"><v>5.0</v></c>'
        b'<c r="I3"><v>1E+2</v></c>'
        b'<c r="K3"><v>1.20101199003071E+17</v></c></row>'
        b'<row r="5"><c r="B5" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    assert_same_values(with_sheet_data(saved(workbook), cells), monkeypatch)


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="B2" t="e"><v>#N/A</v></c>',  # calamine reads an error as ''
        b'<c r="B2"><v>120101199003071235</v></c>',  # more digits than a float holds
    ],
)
def test_cells_calamine_reads_otherwise_are_read_by_openpyxl(cell, monkeypatch):
    data = with_sheet_data(
        saved(Workbook()), b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c>' + cell + b"</row>"
    )
    assert_same_values(data, monkeypatch, by_calamine=False)
    assert trimmed(sheets.xlsx_values(data))[1][1] in ("#N/A", 120101199003071235)


def test_the_first_worksheet_is_read():
    workbook = Workbook()
    workbook.active.append(["first"])
    workbook.create_sheet("second").append(["second"])
    data = saved(workbook)
    assert trimmed(sheets.xlsx_values(data)) == trimmed(sheets.openpyxl_rows(data)) == [["first"]]
    # a chart sheet first: read by openpyxl, as before (which cannot read the empty one it writes)
    workbook.create_chartsheet("chart", 0)
    with pytest.raises(sheets.UnreadableSheet):
        list(sheets.xlsx_values(saved(workbook)))


@pytest.mark.parametrize("data", [b"PK\x03\x04garbage", b"PK\x03\x04" + bytes(2000), b"not a zip"])
def test_a_corrupt_file_is_the_same_roster_error(data):
    with pytest.raises(
        RosterError, match="无法读取该 XLSX 文件，请确认文件未损坏且为 Excel 2007 及以上格式。"
    ):
        read_roster(data, OCCUPATIONS, on=ON, kind="xlsx")


def test_a_chinese_builtin_date_format_reads_as_a_date():
    """Where the two differ by design: Excel's Chinese built-in date formats (numFmtId 27-36, 50-58) hold a
    date, which calamine reads as one (openpyxl: the serial number). A date column decides the same."""
    data = with_sheet_data(saved(Workbook()), b'<row r="1"><c r="A1" s="1"><v>44256</v></c></row>')
    data = with_member(data, "xl/styles.xml", STYLES_NUMFMT_31)
    assert trimmed(sheets.openpyxl_rows(data)) == [[44256]]
    assert trimmed(sheets.xlsx_values(data)) == [[datetime(2021, 3, 1)]]
    assert roster.parse_date(44256) == roster.parse_date(datetime(2021, 3, 1))


def test_an_escaped_character_reads_as_excel_shows_it():
    """Where the two differ by design: Excel writes a carriage return in a cell as _x000D_, which calamine
    reads as the character (openpyxl: the six characters), so that "张三_x000D_" is the name 张三."""
    data = with_sheet_data(
        saved(Workbook()), b'<row r="1"><c r="A1" t="inlineStr"><is><t>a_x000D_b</t></is></c></row>'
    )
    assert trimmed(sheets.openpyxl_rows(data)) == [["a_x000D_b"]]
    assert trimmed(sheets.xlsx_values(data)) == [["a\rb"]]


STYLES_NUMFMT_31 = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    b'<xf numFmtId="31" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item.filename))
    return out.getvalue()


def members(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_roster_gets_the_same_answer_from_both_readers(monkeypatch):
    rows = [
        *GOOD,
        *BROKEN,
        [None] * 12,
        [" 周九 ", 1.20101199003071e17, "4-03-02-01", 3.0, 2, 4, datetime(2020, 1, 2)],
    ]
    data = xlsx(rows)
    new = write_result_xlsx(read_roster(data, OCCUPATIONS, on=ON, kind="xlsx"))
    monkeypatch.setattr(sheets, "xlsx_values", sheets.openpyxl_rows)
    old = write_result_xlsx(read_roster(data, OCCUPATIONS, on=ON, kind="xlsx"))
    assert members(new) == members(old)
