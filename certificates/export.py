"""Export of issued certificates as XLSX, for upload to the national query system (seed 004 四(四)2:
the certificate data are uploaded to the provincial system, which feeds the ministry's national system
jndj.osta.org.cn; seed 001 第八条).

Column layout (sheet "证书数据", one header row, then one certificate per row, ordered by code):

    列  表头            内容
    A   序号            1, 2, 3 ...
    B   证书编号        22 characters (seed 004 附件5), text
    C   姓名            as printed
    D   性别            男 / 女
    E   证件类型        the holder's document type in Chinese (居民身份证, 港澳居民来往内地通行证, 护照, ...;
                        portal.identifiers.DocumentKind; issue 43)
    F   证件号码        the number as stored: 18 characters for a resident ID, a passport with its
                        3-letter issuing country; text (never a number: it would lose digits)
    G   职业编码        N-NN-NN-NN
    H   职业名称        as printed
    I   工种            as printed, "——" when none
    J   等级代码        1-5 (seed 004 附件5 六)
    K   技能等级        e.g. 三级/高级工
    L   评价机构        institution name exactly as filed
    M   发证日期        a date cell, shown yyyy-mm-dd
    N   证书状态        有效 / 已撤销
    O   撤销日期        a date cell or empty
    P   撤销原因        text or empty

Every text cell is written as a string, never a formula, and a value starting with = + - @ or a control
character is prefixed with an apostrophe (OWASP "CSV injection"), so a crafted name cannot run in a
spreadsheet at the ministry. A second sheet "说明" repeats this layout and the selection exported.
Headers are fixed Chinese text whatever the user's language: the layout is a data format.
"""

import io
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from portal import identifiers
from portal.sheets import safe_text

from . import constants
from .models import Certificate

DATE_FORMAT = "yyyy-mm-dd"
PROGRESS_EVERY = 1000  # rows between two progress reports of an export written by the worker


@dataclass(frozen=True)
class Column:
    letter: str
    header: str
    width: int


COLUMNS = [
    Column("A", "序号", 7),
    Column("B", "证书编号", 26),
    Column("C", "姓名", 12),
    Column("D", "性别", 6),
    Column("E", "证件类型", 24),
    Column("F", "证件号码", 22),
    Column("G", "职业编码", 13),
    Column("H", "职业名称", 20),
    Column("I", "工种", 14),
    Column("J", "等级代码", 9),
    Column("K", "技能等级", 15),
    Column("L", "评价机构", 34),
    Column("M", "发证日期", 12),
    Column("N", "证书状态", 9),
    Column("O", "撤销日期", 12),
    Column("P", "撤销原因", 30),
]
HEADERS = [c.header for c in COLUMNS]


def row_values(position: int, certificate: Certificate) -> list:
    revoked = certificate.status == Certificate.Status.REVOKED
    return [
        position,
        safe_text(certificate.code),
        safe_text(certificate.holder_name),
        safe_text(certificate.get_sex_display()),
        safe_text(identifiers.chinese_label(certificate.document_kind)),
        safe_text(certificate.id_number),
        safe_text(certificate.occupation_code),
        safe_text(certificate.occupation_name),
        safe_text(certificate.work_type),
        certificate.level,
        safe_text(constants.LEVEL_NAMES.get(certificate.level, "")),
        safe_text(certificate.institution_name),
        certificate.issue_date,
        safe_text(certificate.get_status_display()),
        certificate.revoked_on if revoked else None,
        safe_text(certificate.revoked_reason) if revoked else "",
    ]


def select(*, batch=None, date_from: date | None = None, date_to: date | None = None) -> QuerySet:
    """The certificates of one batch, or issued between two dates (both inclusive), by code."""
    certificates = Certificate.objects.all()
    if batch is not None:
        certificates = certificates.filter(batch=batch)
    if date_from is not None:
        certificates = certificates.filter(issue_date__gte=date_from)
    if date_to is not None:
        certificates = certificates.filter(issue_date__lte=date_to)
    return certificates.order_by("code")


def write_xlsx(certificates, description: str = "", progress=None) -> bytes:
    """The XLSX bytes (openpyxl write-only mode: memory stays flat for large exports). ``progress(done)``:
    called every PROGRESS_EVERY rows (a large export written by the worker, certificates.export_job)."""
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("证书数据")
    for column in COLUMNS:
        sheet.column_dimensions[column.letter].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    iterator = certificates.iterator(chunk_size=2000) if isinstance(certificates, QuerySet) else certificates
    count = 0
    for count, certificate in enumerate(iterator, start=1):
        cells = []
        for value in row_values(count, certificate):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text looks like
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        sheet.append(cells)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    notes = workbook.create_sheet("说明")
    notes.append(["导出范围", safe_text(description)])
    notes.append(["证书数量", count])
    notes.append([])
    notes.append(["列", "表头"])
    for column in COLUMNS:
        notes.append([column.letter, column.header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
