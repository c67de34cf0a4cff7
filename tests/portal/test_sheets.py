"""portal.sheets: the rows of a spreadsheet counted before it is read (issue 28: a 100,000-row upload
refused at once). Boundaries: just under, at and just over the limit; blank rows never count."""

import csv
import io
import zipfile

import pytest
from openpyxl import Workbook

from portal import sheets

HEADER = ["姓名", "身份证号码", "职业代码", "申报等级"]


def xlsx(rows, write_only=True) -> bytes:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("名单") if write_only else workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def data_rows(n):
    return [[f"考生{i}", f"1201011990010100{i % 10}", "4-03-02-01", 5] for i in range(n)]


@pytest.mark.parametrize("write_only", [True, False])
@pytest.mark.parametrize(("n", "over"), [(9, False), (10, False), (11, True)])
def test_xlsx_rows_over_the_limit(n, over, write_only):
    # The limit counts the header too, as the readers call it with max_rows + 1.
    assert sheets.xlsx_rows_over(xlsx([HEADER, *data_rows(n)], write_only), 11) is over


def test_blank_rows_do_not_count():
    rows = [[None, None], HEADER]
    for row in data_rows(5):
        rows += [row, [None, "", None], ["  ", None]]
    assert sheets.xlsx_rows_over(xlsx(rows), 6) is False
    assert sheets.xlsx_rows_over(xlsx(rows), 5) is True
    assert sheets.text_rows_over([[], ["", " "], HEADER, *data_rows(5), [""]], 6) is False
    assert sheets.text_rows_over([[], ["", " "], HEADER, *data_rows(5), [""]], 5) is True


def test_the_first_worksheet_is_counted_not_the_others():
    workbook = Workbook()
    workbook.active.append(HEADER)
    other = workbook.create_sheet("其他")
    for row in data_rows(50):
        other.append(row)
    out = io.BytesIO()
    workbook.save(out)
    assert sheets.xlsx_rows_over(out.getvalue(), 1) is False
    assert sheets.xlsx_rows_over(out.getvalue(), 0) is True


def with_chart_sheet_first(rows) -> bytes:
    """A workbook whose first sheet is a chart sheet (a chart of the worksheet's numbers), its worksheet with
    ``rows`` behind it: openpyxl's ``worksheets[0]`` and portal.sheets.xlsx_values read that worksheet."""
    from openpyxl.chart import BarChart, Reference

    workbook = Workbook()
    worksheet = workbook.active
    for row in rows:
        worksheet.append(row)
    chart = BarChart()
    chart.add_data(Reference(worksheet, min_col=4, min_row=1, max_row=max(len(rows), 1)))
    workbook.create_chartsheet("图表", 0).add_chart(chart)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_chart_sheet_first_the_worksheet_behind_it_is_counted():
    """The limit counts the worksheet that is read, not the chart sheet listed before it (which has no rows:
    a workbook of any size passed the check with 0 rows)."""
    data = with_chart_sheet_first([HEADER, *data_rows(30)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sheets.first_sheet_name(archive) == "xl/worksheets/sheet1.xml"
    assert sheets.xlsx_row_tags(data, 100) == 31
    assert sheets.xlsx_row_count(data) == 31
    assert sheets.xlsx_rows_over(data, 31) is False
    assert sheets.xlsx_rows_over(data, 30) is True
    # the same worksheet the readers read
    assert len([row for row in sheets.xlsx_values(data) if any(row)]) == 31
    assert next(iter(sheets.xlsx_values(data)))[:4] == tuple(HEADER)


def test_a_worksheet_named_but_missing_is_passed_over_as_openpyxl_does():
    """A sheet whose part is not in the archive: openpyxl skips it, and so does the count."""
    data = with_chart_sheet_first([HEADER, *data_rows(3)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            content = old.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":  # the chart sheet's relation: a missing part
                content = content.replace(b"chartsheets/sheet1.xml", b"worksheets/missing.xml")
                content = content.replace(b"relationships/chartsheet", b"relationships/worksheet")
            new.writestr(item, content)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert sheets.first_sheet_name(archive) == "xl/worksheets/sheet1.xml"
    assert sheets.xlsx_rows_over(out.getvalue(), 3) is True


@pytest.mark.parametrize(("n", "over"), [(9, False), (10, False), (11, True)])
def test_csv_rows_over_the_limit(n, over):
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *data_rows(n)])
    rows = csv.reader(io.StringIO(text.getvalue()))
    assert sheets.text_rows_over(rows, 11) is over


def test_a_file_that_is_not_a_workbook_is_left_to_its_reader():
    assert sheets.xlsx_rows_over(b"PK\x03\x04 not really a zip", 1) is False
    assert sheets.xlsx_rows_over(b"", 1) is False


def sheet_xml(body: bytes) -> bytes:
    """A workbook whose first worksheet is the given XML (for row tags written by other programs)."""
    out = io.BytesIO()
    source = xlsx([HEADER])
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = body if item.filename == sheets.FALLBACK_SHEET else old.read(item.filename)
            new.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("n", [0, 1, 2_000, 40_000])
def test_row_tags_are_counted_across_the_read_chunks(n, monkeypatch):
    """Issue 42 item 3: the cheap count of row tags (an upper bound of the rows with a value) finds every
    tag, also one cut by the end of a read chunk (chunks of 37 bytes here, so tags are cut everywhere)."""
    monkeypatch.setattr(sheets, "CHUNK_BYTES", 37)
    rows = b"".join(b'<row r="%d"><c><v>1</v></c></row>' % (i + 1) for i in range(n))
    data = sheet_xml(b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>")
    assert sheets.xlsx_row_tags(data, n + 10) == n
    assert min(n, 5) <= sheets.xlsx_row_tags(data, 5) <= n  # stops at the chunk where 5 were seen


def test_row_tags_with_a_namespace_prefix_and_empty_rows():
    body = b'<x:worksheet><x:sheetData><x:row r="1"/><x:row>' + b"<x:c/></x:row><row/><rows/><rowBreaks/>"
    data = sheet_xml(body + b"</x:sheetData></x:worksheet>")
    assert sheets.xlsx_row_tags(data, 100) == 3  # <rows/> and <rowBreaks/> are not rows


def test_many_blank_row_tags_are_still_parsed_to_tell_them_apart():
    """More row tags than the limit, but blank: the precise count decides (not over)."""
    blank = b'<row r="%d"><c><v></v></c></row>'
    body = (
        b"".join(blank % (i + 1) for i in range(30))
        + b'<row r="31"><c t="inlineStr"><is><t>x</t></is></c></row>'
    )
    data = sheet_xml(b"<worksheet><sheetData>" + body + b"</sheetData></worksheet>")
    assert sheets.xlsx_row_tags(data, 100) == 31
    assert sheets.xlsx_rows_over(data, 1) is False
    assert sheets.xlsx_rows_over(data, 0) is True
