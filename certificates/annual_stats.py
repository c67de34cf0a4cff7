"""The annual statistics of the centre and the bureau (issue 38 item 5; seed 004 四(四)3: 统一汇总后报省):
filings by route and kind (filed in the year; in force on some day of it), the plans, candidates and
pass rates of certification (``issuable.year_statistics``), and the certificates issued in the year by
occupation x level x institution kind (the code's first letter, seed 004 附件5 一: Y 用人单位, S 社会培训评价组织;
Z the bureau's 职业资格证书). Lives here, in the one app above certification and filings, so that it may read
all three. A constant number of queries whatever the data size (GROUP BY each)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from certification import issuable
from filings.constants import Kind, Route
from filings.constants import State as FilingState

from . import constants
from .models import Certificate

# A filing in force: filed (an expired one keeps its period: it was in force then).
FILED_STATES = (FilingState.FILED, FilingState.EXPIRED)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def kind_label(letter: str) -> str:
    if letter == constants.QUALIFICATION_LETTER:
        return _("职业资格证书（市人社局）")
    return str(constants.KINDS.get(letter, letter))


@dataclass
class FilingRow:
    route: str
    kind: str
    filed: int
    in_force: int


@dataclass
class CertificateRow:
    occupation: str
    level: str
    kind: str
    count: int


@dataclass
class Statistics:
    year: int
    filings: list[FilingRow]
    figures: object  # certification.annual_stats.YearFigures, through issuable.year_statistics
    certificates: list[CertificateRow]

    @property
    def filed_total(self) -> int:
        return sum(r.filed for r in self.filings)

    @property
    def in_force_total(self) -> int:
        return sum(r.in_force for r in self.filings)

    @property
    def certificate_total(self) -> int:
        return sum(r.count for r in self.certificates)


def filings(year: int) -> list[FilingRow]:
    """One query: per (route, kind), the filings filed in the year and those in force on some day of it."""
    from filings.models import Filing

    start, end = year_bounds(year)
    filed = Q(filed_on__gte=start, filed_on__lt=end)
    in_force = Q(valid_from__lt=end, valid_until__gte=start)
    rows = (
        Filing.objects.filter(state__in=FILED_STATES)
        .filter(filed | in_force)
        .values_list("route", "kind")
        .annotate(filed=Count("pk", filter=filed), in_force=Count("pk", filter=in_force))
        .order_by("route", "kind")
    )
    return [
        FilingRow(str(Route(route).label), str(Kind(kind).label), n_filed, n_in_force)
        for route, kind, n_filed, n_in_force in rows
    ]


def certificates(year: int) -> list[CertificateRow]:
    """One query: certificates issued in the year (revoked ones included: they were issued) per
    occupation, level and institution kind."""
    start, end = year_bounds(year)
    rows = (
        Certificate.objects.filter(issue_date__gte=start, issue_date__lt=end)
        .annotate(letter=Substr("code", 1, 1))
        .values_list("occupation_code", "occupation_name", "level", "letter")
        .annotate(n=Count("pk"))
        .order_by("occupation_code", "occupation_name", "level", "letter")
    )
    return [
        CertificateRow(f"{code} {name}", str(constants.LEVEL_NAMES.get(level, level)), kind_label(letter), n)
        for code, name, level, letter, n in rows
    ]


def build(year: int) -> Statistics:
    """Seven queries whatever the data size."""
    return Statistics(year, filings(year), issuable.year_statistics(year), certificates(year))


def percent(rate) -> str:
    return "—" if rate is None else f"{rate:.1f}%"


def to_xlsx(stats: Statistics) -> bytes:
    """The page as a workbook: one sheet per table."""
    from openpyxl import Workbook

    from portal.sheets import safe_text as safe

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("备案")
    sheet.append([_("%(year)s 年职业技能等级认定统计") % {"year": stats.year}])
    sheet.append([_("申报类型"), _("机构性质"), _("当年备案"), _("当年有效")])
    for row in stats.filings:
        sheet.append([row.route, row.kind, row.filed, row.in_force])
    sheet.append([_("合计"), "", stats.filed_total, stats.in_force_total])

    sheet = workbook.create_sheet(_("认定"))
    sheet.append([_("认定方案状态"), _("方案数")])
    for _state, label, n in stats.figures.plans:
        sheet.append([label, n])
    sheet.append([_("合计"), stats.figures.plan_total])
    sheet.append([])
    sheet.append([_("等级"), _("考生人数"), _("核对合格人数"), _("合格率")])
    for f in stats.figures.levels:
        sheet.append([f.label, f.candidates, f.passing, percent(f.rate)])
    sheet.append([_("合计"), stats.figures.candidates, stats.figures.passing, percent(stats.figures.rate)])

    sheet = workbook.create_sheet(_("证书"))
    sheet.append([_("职业"), _("等级"), _("机构类别"), _("证书数")])
    for row in stats.certificates:
        sheet.append([safe(row.occupation), row.level, row.kind, row.count])
    sheet.append([_("合计"), "", "", stats.certificate_total])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
