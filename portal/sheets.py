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
from datetime import date, datetime
from xml.etree import ElementTree

RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
FALLBACK_SHEET = "xl/worksheets/sheet1.xml"
# workbook.xml and its relationships are a few kilobytes in any real workbook; read no more than this.
PART_MAX_BYTES = 1024 * 1024


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def first_sheet_name(archive: zipfile.ZipFile) -> str:
    """The zip member of the workbook's first worksheet (the one openpyxl's ``worksheets[0]`` reads): the
    first sheet of workbook.xml whose relationship is no chart sheet's and whose part is in the archive, as
    openpyxl's reader picks them. The first sheet listed may be a chart sheet, whose part has no rows: the
    row limit would then count nothing while the worksheet behind it is read whatever its size."""
    try:
        with archive.open("xl/workbook.xml") as stream:
            workbook = ElementTree.fromstring(stream.read(PART_MAX_BYTES))
        with archive.open("xl/_rels/workbook.xml.rels") as stream:
            relations = ElementTree.fromstring(stream.read(PART_MAX_BYTES))
    except (KeyError, ElementTree.ParseError):
        return FALLBACK_SHEET
    targets = {r.get("Id"): r for r in relations}
    members = set(archive.namelist())
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        relation = targets.get(sheet.get(RELATIONSHIP_ID))
        if relation is None or "chartsheet" in (relation.get("Type") or ""):
            continue
        target = relation.get("Target") or ""
        name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if target and name in members:
            return name
    return FALLBACK_SHEET


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


# -- reading values -------------------------------------------------------------------------------------


class UnreadableSheet(ValueError):
    """The workbook cannot be read at all (not an XLSX, corrupt, no worksheet)."""


# What calamine reads otherwise than openpyxl, found in the sheet's XML (see xlsx_values): an error cell
# (#N/A: calamine reads ''), and a whole number of 16 digits or more (<v>120101199003071235</v>: openpyxl
# reads that int, calamine a float that has lost the last digits).
ERROR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*\bt=[\"']e[\"']")
LONG_NUMBER = re.compile(rb"<v>\s*-?\d{16,}\s*</v>")  # "<v>" first: found as fast as bytes.find
PREFIXED_LONG_NUMBER = re.compile(rb"<[A-Za-z_][\w.-]*:v>\s*-?\d{16,}\s*</")
EXACT_FLOAT_MAX = float(2**53)  # whole floats up to here are exact: int(value) is what openpyxl reads


def xlsx_values(data: bytes):
    """The first worksheet's rows (every row from the first on, blank ones included) with the values
    openpyxl's read-only ``iter_rows(values_only=True)`` gives (``openpyxl_rows``): None for an empty cell,
    int for a whole number, datetime for a date, a formula's cached value. Raises UnreadableSheet.

    Read by python-calamine (Rust), eight times faster than openpyxl's parse (issue 42 item 3), its values
    converted to openpyxl's: '' -> None, a whole float -> int, a date -> datetime at midnight. A sheet
    calamine would read otherwise (an error cell, a 16-digit number, a chart sheet first) is read by
    openpyxl, as before. Where the two differ by design, calamine's is kept: a number in one of Excel's
    Chinese built-in date formats (numFmtId 27-36, 50-58: 2021年3月1日) is a date, as Excel shows it
    (openpyxl: the serial number), an escaped character (_x000D_) is the character, as Excel shows it,
    and cells past a stale <dimension> are read (openpyxl drops them)."""
    rows = _calamine_rows(data)
    if rows is None or _read_otherwise(data):
        yield from openpyxl_rows(data)
        return
    for index, row in enumerate(rows):
        rows[index] = tuple(map(_openpyxl_value, row))  # map: a little faster than a generator
    yield from rows


def _calamine_rows(data: bytes) -> list | None:
    """The first sheet's cells by calamine; None when the first sheet is no worksheet (a chart sheet)."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            if workbook.sheets_metadata[0].typ != SheetTypeEnum.WorkSheet:
                return None
            # skip_empty_area=False: from A1 on, so that a row's place is its line in the file
            return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # calamine's own errors, a zip error, no sheet: all mean an unusable file
        raise UnreadableSheet from None


def _openpyxl_value(value):
    kind = value.__class__
    if kind is str:
        return value or None
    if kind is float:
        # openpyxl: an int for <v>5</v>, a float for <v>1.2E+17</v> (past EXACT_FLOAT_MAX: left a float)
        return int(value) if value.is_integer() and -EXACT_FLOAT_MAX <= value <= EXACT_FLOAT_MAX else value
    if kind is date:
        return datetime(value.year, value.month, value.day)
    return value  # bool, int, datetime, time, timedelta: as openpyxl


def _read_otherwise(data: bytes) -> bool:
    """Whether the first worksheet has a cell calamine reads otherwise than openpyxl (ERROR_CELL,
    LONG_NUMBER), scanned as xlsx_row_tags scans (a hundredth of calamine's read)."""
    tail = b""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(first_sheet_name(archive)) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                text = tail + chunk
                # each regular expression only where a quick look finds what it needs
                if (b'"e"' in text or b"'e'" in text) and ERROR_CELL.search(text):
                    return True
                if LONG_NUMBER.search(text) or (b":v>" in text and PREFIXED_LONG_NUMBER.search(text)):
                    return True
                tail = text[-256:]  # a tag cut at the chunk's end is whole in the next text
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        return True  # not sure: openpyxl reads it, as before
    return False


def openpyxl_rows(data: bytes):
    """The first worksheet's rows by openpyxl's read-only reader: xlsx_values's model, and its way out."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise UnreadableSheet from None
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


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
