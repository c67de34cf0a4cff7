"""The 技工院校职业技能等级认定申请备案表 (《关于开展技工院校职业技能等级认定工作的通知》（辽人社〔2020〕32号）四(二),
附件3): the city's table of the technical schools that passed its 核验, sent to the province for filing, as
XLSX and PDF. One line per occupation; the school's cells (序号 counting schools, name, address, contact)
on its first line, merged over its lines as in the printed form."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from eligibility import institution as conditions
from portal.pdf import render_pdf
from portal.sheets import safe_text

from .constants import Route, State
from .models import Filing

# 核验 passed: the expert evaluation concluded (the city's 文件审核、技术评估、专家论证、现场考察) and every step
# after it; a school returned, rejected or still under review is not reported.
REPORTED_STATES = (
    State.EVALUATED,
    State.APPROVED,
    State.IN_PUBLICITY,
    State.AWAITING_RECORD,
    State.PUBLISHED,
    State.FILED,
)
NO_WORK_TYPE = "——"  # an occupation without 工种, as the printed tables show it
# 附件3's columns, in its order.
COLUMNS = (
    "序号",
    "院校名称",
    "详细地址",
    "联系人",
    "联系方式",
    "职业名称",
    "工种名称",
    "职业编码",
    "等级范围",
    "备注",
)
# The issuing bureau's line over the table (附件3: "市人力资源和社会保障局（加盖公章）").
CITY = "天津市"


@dataclass
class Line:
    number: int
    first: bool
    span: int
    school: str
    address: str
    contact: str
    phone: str
    occupation: str
    work_type: str
    code: str
    levels: str
    note: str

    def values(self) -> list:
        return [
            self.number,
            self.school,
            self.address,
            self.contact,
            self.phone,
            self.occupation,
            self.work_type,
            self.code,
            self.levels,
            self.note,
        ]


def schools(ids=None):
    """The technical schools' filings past 核验 (or those of ``ids`` among them), by name."""
    rows = Filing.objects.filter(
        route=Route.SOCIAL, kind__in=conditions.TECHNICAL_SCHOOL_KINDS, state__in=REPORTED_STATES
    )
    if ids:
        rows = rows.filter(pk__in=ids)
    return rows.order_by("name", "pk").prefetch_related("occupations__occupation")


def lines(filings) -> list[Line]:
    out = []
    for number, filing in enumerate(filings, start=1):
        occupations = list(filing.occupations.all()) or [None]
        for i, o in enumerate(occupations):
            out.append(
                Line(
                    number=number,
                    first=i == 0,
                    span=len(occupations),
                    school=filing.name,
                    address=filing.address,
                    contact=filing.contact_name,
                    phone=filing.contact_phone,
                    occupation=o.occupation.name if o else "",
                    work_type=(o.work_type or NO_WORK_TYPE) if o else "",
                    code=o.occupation.code if o else "",
                    levels=str(o.levels_display) if o else "",
                    note=o.note if o else "",
                )
            )
    return out


def title() -> str:
    return _("技工院校职业技能等级认定申请备案表")


def xlsx(filings, on: date, contact_name: str = "", contact_phone: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "申请备案表"
    sheet.append([title()])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            _("%(city)s人力资源和社会保障局（加盖公章）") % {"city": CITY},
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            _("日期"),
            on.isoformat(),
        ]
    )
    sheet.append(list(COLUMNS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for line in lines(filings):
        values = line.values()
        sheet.append([values[0], *(safe_text(v) for v in values[1:])])
        row = sheet.max_row
        for cell in sheet[row][1:]:
            cell.data_type = "s"  # text, never a formula
        if line.first and line.span > 1:
            for column in "ABCDE":
                sheet.merge_cells(f"{column}{row}:{column}{row + line.span - 1}")
    sheet.append([])
    sheet.append([_("联系人："), safe_text(contact_name), "", _("联系电话："), safe_text(contact_phone)])
    for column, width in zip("ABCDEFGHIJ", (6, 30, 34, 10, 16, 22, 18, 14, 14, 28), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(filings, on: date, contact_name: str = "", contact_phone: str = "") -> bytes:
    content, _html = render_pdf(
        "filings/pdf/record_table.html",
        {
            "rows": lines(filings),
            "city": CITY,
            "today": on,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
        },
    )
    return content
