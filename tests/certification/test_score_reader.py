"""The score sheet's XLSX reader (certification.imports.sheet_rows, also the enterprise appraisals' score
sheet) reads by portal.sheets.xlsx_values (python-calamine, issue 42 item 3) what openpyxl's read-only
reader read: the same cells as the import sees them, the same error for a corrupt file."""

import io
from datetime import datetime

import pytest
from openpyxl import Workbook

from certification import imports
from certification.workflow import WorkflowError
from portal import sheets
from tests.certification.factories import person_id, scores_xlsx


def cells(data: bytes) -> list[list[str]]:
    """The sheet's rows as the import reads them (sheet_cell of each cell), trailing blanks dropped."""
    result = []
    for row in imports.sheet_rows(data, "xlsx"):
        texts = [imports.sheet_cell(v) for v in row]
        while texts and not texts[-1]:
            texts.pop()
        result.append(texts)
    return result


def test_a_score_sheet_reads_as_openpyxl_read_it(monkeypatch):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(imports.SCORE_HEADERS)
    sheet.append(["张三", person_id(1), "居民身份证", 4, 85, 72.5, None, None])
    sheet.append([" 李四 ", person_id(2), None, "四级", 60.0, "缺考", "合格", "综合评审"])
    sheet.append([])  # a blank row keeps its line
    sheet.append(["王五", 1.20101199003071e17, None, 3.0, "８０", 0, "不合格", datetime(2026, 6, 1)])
    out = io.BytesIO()
    workbook.save(out)
    for data in (out.getvalue(), scores_xlsx([(person_id(3), 61, 70), (person_id(4), None, 99.5)])):
        new = cells(data)
        monkeypatch.setattr(sheets, "xlsx_values", sheets.openpyxl_rows)
        old = cells(data)
        monkeypatch.undo()
        assert new == old
    assert new[1][:3] == [person_id(3), "61", "70"]


@pytest.mark.parametrize("data", [b"PK\x03\x04garbage", b"PK\x03\x04" + bytes(2000), b"not a zip"])
def test_a_corrupt_score_sheet_is_the_same_error(data):
    with pytest.raises(
        WorkflowError, match="无法读取该 XLSX 文件，请确认文件未损坏且为 Excel 2007 及以上格式。"
    ):
        list(imports.sheet_rows(data, "xlsx"))
