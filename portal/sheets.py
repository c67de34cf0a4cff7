"""Counting the rows of an uploaded spreadsheet before reading it.

openpyxl loads a workbook's whole shared-string table when it opens it and converts every cell it
reads: a 100,000-row roster took 16-31 s before its row limit was reached. The row limits of the
roster check and the plan's roster and score sheet are checked first here, from the sheet's XML as it
inflates (no shared strings, no cell conversion), stopping at the first row past the limit.

The bytes read here have a budget already: portal/uploads.py refuses an XLSX with a member declaring
more than XLSX_MAX_MEMBER_BYTES or inflating more than XLSX_MAX_MEMBER_RATIO-fold (issue 30), and
zipfile hands out no more of a member than it declares (a lying member ends short and fails to parse)."""

import io
import re
import zipfile
from xml.etree import ElementTree

RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
FALLBACK_SHEET = "xl/worksheets/sheet1.xml"
# workbook.xml and its relationships are a few kilobytes in any real workbook; read no more than this.
PART_MAX_BYTES = 1024 * 1024


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def first_sheet_name(archive: zipfile.ZipFile) -> str:
    """The zip member of the workbook's first worksheet (the one openpyxl's ``worksheets[0]`` reads)."""
    try:
        with archive.open("xl/workbook.xml") as stream:
            workbook = ElementTree.fromstring(stream.read(PART_MAX_BYTES))
        with archive.open("xl/_rels/workbook.xml.rels") as stream:
            relations = ElementTree.fromstring(stream.read(PART_MAX_BYTES))
        sheet = next(e for e in workbook.iter() if _local(e.tag) == "sheet")
        target = next(r.get("Target") for r in relations if r.get("Id") == sheet.get(RELATIONSHIP_ID))
    except (KeyError, StopIteration, ElementTree.ParseError):
        return FALLBACK_SHEET
    if not target:
        return FALLBACK_SHEET
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


# A row element's start tag, with or without a namespace prefix (<row r="1">, <x:row>, <row/>).
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
CHUNK_BYTES = 1 << 20  # read a worksheet a megabyte at a time when counting its row tags


def xlsx_row_tags(data: bytes, stop: int) -> int:
    """How many row elements the first worksheet has, counting no further than ``stop``: an upper bound of
    the rows with a value (each such row is a row element), found by scanning the inflated XML without
    parsing it. -1 for a file that cannot be read."""
    count = 0
    tail = b""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(first_sheet_name(archive)) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                text = tail + chunk
                # a tag starting in the last bytes may be cut at the chunk's end: it is counted with the
                # next chunk, whose text starts with those bytes
                cut = max(0, len(text) - 64)
                count += sum(1 for found in ROW_TAG.finditer(text) if found.start() < cut)
                tail = text[cut:]
                if count >= stop:
                    return count
            count += len(ROW_TAG.findall(tail))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        return -1
    return count


def xlsx_rows_over(data: bytes, limit: int) -> bool:
    """Whether the first worksheet holds more than ``limit`` rows with a value in some cell (the rows
    the readers count: blank rows are skipped by them too). A file that cannot be read answers False:
    its reader says what is wrong with it.

    The row tags are counted first (issue 42 item 3: parsing every cell to count took a tenth of a
    10,000-row roster's check): no more tags than the limit means no more rows with a value; only a
    sheet with more row tags is parsed to tell the blank rows apart."""
    if xlsx_row_tags(data, limit + 1) <= limit:
        return False
    return xlsx_row_count(data, limit + 1) > limit


def xlsx_row_count(data: bytes, stop: int | None = None) -> int:
    """The rows with a value in some cell of the first worksheet, counting no further than ``stop``; 0 for a
    file that cannot be read."""
    count = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(first_sheet_name(archive)) as stream:
            has_value = False
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = _local(element.tag)
                if event == "start":
                    if tag == "row":
                        has_value = False
                    continue
                if tag in ("v", "t") and (element.text or "").strip():
                    has_value = True
                elif tag == "row":
                    count += has_value
                    if stop is not None and count >= stop:
                        return count
                    element.clear()
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError, EOFError):
        return 0
    return count


def text_rows_over(rows, limit: int) -> bool:
    """The same for rows already split (a CSV reader): more than ``limit`` rows with a non-blank cell."""
    count = 0
    for values in rows:
        if values and any(str(v).strip() for v in values if v is not None):
            count += 1
            if count > limit:
                return True
    return False


# -- writing ---------------------------------------------------------------------------------------------

# A cell text starting with one of these is read as a formula by some spreadsheet (issue 9; OWASP "CSV
# injection"): = + - @ at the start or after blanks, and a tab or line break at the very start.
FORMULA_STARTS = ("=", "+", "-", "@")
FORMULA_LEADS = ("\t", "\r", "\n")


def safe_cell(value):
    """A cell value no spreadsheet evaluates: text loses the characters XLSX cannot hold (openpyxl refuses
    them, which would fail the whole file) and gets a leading apostrophe when it looks like a formula;
    numbers, dates and None pass through."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if text.startswith(FORMULA_LEADS) or text.lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_text(value) -> str:
    """:func:`safe_cell` for a column that is always text: None becomes "", a number its digits."""
    return safe_cell("" if value is None else str(value))


def write_table(title: str, headers, rows, widths=()) -> bytes:
    """A one-sheet XLSX (openpyxl write-only: memory stays flat): a bold header row, then ``rows``, every
    text cell through :func:`safe_cell` and stored as text. ``widths``: column widths, first column first."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_cell(title)[:31] or "Sheet1")
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=safe_cell(str(text)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text looks like
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
