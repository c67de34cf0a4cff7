"""The public institution directory (评价机构目录, seed 002 第五条 定期发布评价机构目录清单; seed 004
四(三) and 附件4): filed institutions only, with code, kind, occupations x levels, validity and status.
It carries no personal data: no resident ID numbers, no personal (mobile) phone numbers, no staff."""

from __future__ import annotations

import io
import re
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from portal import workdays
from portal.sheets import safe_text

from . import after_filing
from .constants import LEVEL_CHOICES, Kind, Route, State
from .models import Filing, FilingOccupation, Sanction

# A mainland mobile number (personal): never published. Fixed lines (区号-号码) are the institution's.
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")

# seed 004 附件4 职业技能等级认定技工院校目录: the columns, in order.
ANNEX4_COLUMNS = [
    "序号",
    "机构名称",
    "详细地址",
    "联系人",
    "联系方式",
    "机构备案号",
    "职业名称",
    "工种名称",
    "职业编码",
    "等级范围",
]


def filed():
    """Filings in the filed state (the directory's rows), with what a row needs in two queries."""
    return (
        Filing.objects.filter(state=State.FILED)
        .only(
            "pk",
            "name",
            "kind",
            "route",
            "state",
            "address",
            "contact_name",
            "contact_phone",
            "filing_number",
            "route_code",
            "province_code",
            "institution_sequence",
            "valid_from",
            "valid_until",
            "version",
        )
        .prefetch_related(
            Prefetch(
                "occupations",
                queryset=FilingOccupation.objects.select_related("occupation").order_by(
                    "occupation__code", "id"
                ),
            ),
            Prefetch(
                "sanctions", queryset=Sanction.objects.filter(is_public=True).order_by("-decided_on", "-pk")
            ),
        )
    )


def scope_matches(occupation: str) -> Q:
    """FilingOccupation rows of an occupation typed as a code prefix ("6-31") or part of its name or
    work type: the occupation filter of the directory and of the staff queue."""
    occupation = occupation.strip()
    return (
        Q(occupation__code__startswith=occupation)
        | Q(occupation__name__icontains=occupation)
        | Q(work_type__icontains=occupation)
    )


def search(*, q: str = "", occupation: str = "", level: int | None = None, kind: str = "", route: str = ""):
    rows = filed()
    if q:
        q = q.strip()
        rows = rows.filter(Q(name__icontains=q) | Q(filing_number__icontains=q) | Q(institution_sequence=q))
    if occupation or level:
        occupations = FilingOccupation.objects.filter(filing=OuterRef("pk"))
        if occupation:
            occupations = occupations.filter(scope_matches(occupation))
        if level:
            occupations = occupations.filter(levels__contains=str(int(level)))
        rows = rows.filter(Exists(occupations))
    if kind:
        rows = rows.filter(kind=kind)
    if route:
        rows = rows.filter(route=route)
    return rows.order_by("name", "pk")


def annotate(rows, on: date | None = None):
    """Adds ``public_status``, ``scope`` (occupation, work type, levels text) and the labels of kind and
    route (``kind_label``, ``route_label``: translated once, not once per row) to each row."""
    on = on or workdays.today()
    kinds, routes = dict(Kind.choices), dict(Route.choices)
    out = []
    for filing in rows:
        filing.kind_label = kinds.get(filing.kind, filing.kind)
        filing.route_label = routes.get(filing.route, filing.route)
        filing.public_status = after_filing.public_status(filing, on, sanctions=list(filing.sanctions.all()))
        filing.status_ok = filing.public_status == _("有效")
        filing.scope = [
            {
                "code": row.occupation.code,
                "name": row.occupation.name,
                "work_type": row.work_type or "——",
                "levels": levels_text(row.level_set),
            }
            for row in filing.occupations.all()
        ]
        filing.code = f"{filing.route}{filing.institution_code}" if filing.institution_sequence else ""
        out.append(filing)
    return out


def levels_text(levels) -> str:
    labels = dict(LEVEL_CHOICES)
    return "、".join(str(labels[lv]) for lv in sorted(levels))


def public_phone(phone: str) -> str:
    """The institution's fixed-line number; a mobile number is personal and is left out."""
    phone = (phone or "").strip()
    return "——" if not phone or MOBILE.search(phone) else phone


def xlsx(rows, on: date | None = None) -> bytes:
    """The directory as an .xlsx in the columns of seed 004 附件4: one line per occupation, the
    institution's cells repeated (so the sheet can be filtered), 序号 counting institutions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    on = on or workdays.today()
    book = Workbook()
    sheet = book.active
    sheet.title = "评价机构目录"
    sheet.append([_("职业技能等级认定评价机构目录（%(date)s）") % {"date": on.isoformat()}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(ANNEX4_COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for number, filing in enumerate(annotate(rows, on), start=1):
        lines = filing.scope or [{"code": "", "name": "", "work_type": "", "levels": ""}]
        for line in lines:
            values = [
                number,
                filing.name,
                filing.address,
                filing.contact_name,
                public_phone(filing.contact_phone),
                filing.filing_number or "",
                line["name"],
                line["work_type"],
                line["code"],
                line["levels"],
            ]
            sheet.append([values[0], *(safe_text(v) for v in values[1:])])
            for cell in sheet[sheet.max_row][1:]:
                cell.data_type = "s"  # text, never a formula
    for column, width in zip("ABCDEFGHIJ", (6, 36, 36, 10, 16, 26, 24, 16, 14, 36), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
