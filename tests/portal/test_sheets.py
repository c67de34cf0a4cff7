"""portal.sheets: the rows of a spreadsheet counted before it is read (issue 28: a 100,000-row upload
refused at once). Boundaries: just under, at and just over the limit; blank rows never count."""

import csv
import io

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


@pytest.mark.parametrize(("n", "over"), [(9, False), (10, False), (11, True)])
def test_csv_rows_over_the_limit(n, over):
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *data_rows(n)])
    rows = csv.reader(io.StringIO(text.getvalue()))
    assert sheets.text_rows_over(rows, 11) is over


def test_a_file_that_is_not_a_workbook_is_left_to_its_reader():
    assert sheets.xlsx_rows_over(b"PK\x03\x04 not really a zip", 1) is False
    assert sheets.xlsx_rows_over(b"", 1) is False
