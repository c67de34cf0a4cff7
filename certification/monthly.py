"""Upward reporting of the results summary (seed 004 四(四)3: 技工院校根据审核通过的认定结果填写职业技能等级认定
结果汇总表（附件7），于月末报至各市公共就业服务机构主管部门，各市公共就业服务机构主管部门统一汇总后报省人事考试中心).

An institution submits its month's 附件7 table (``summary.build``) by the month's last day
(``MONTHLY_SUMMARY_DAYS_AFTER_MONTH_END``), with a reminder window before
(``MONTHLY_SUMMARY_REMINDER_DAYS``, the portal's choice) and an overdue mark after; the submission keeps a
frozen copy of the counts. The centre adds the submitted summaries of a month into the city total and
exports it as the province table."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import institutions
from portal import audit, roles, sheets

from . import summary
from .constants import (
    MONTHLY_SUMMARY_DAYS_AFTER_MONTH_END,
    MONTHLY_SUMMARY_LIST_MONTHS,
    MONTHLY_SUMMARY_REMINDER_DAYS,
    MonthlyState,
)
from .models import MonthlySummary

OUTSTANDING = (MonthlyState.OPEN, MonthlyState.REMINDER, MonthlyState.OVERDUE)


class MonthlyError(Exception):
    """A submission refused, with the reason users read."""


# -- the clock (seed 004 四(四)3: 于月末报) ------------------------------------------------------------


def first_day(day: date) -> date:
    return day.replace(day=1)


def due_date(month: date) -> date:
    """seed 004 四(四)3: the last day of ``month`` (plus MONTHLY_SUMMARY_DAYS_AFTER_MONTH_END)."""
    _start, next_month = summary.month_bounds(month)
    return next_month - timedelta(days=1) + timedelta(days=MONTHLY_SUMMARY_DAYS_AFTER_MONTH_END)


def reminder_from(month: date) -> date:
    """The first day of the reminder window (the portal's choice: MONTHLY_SUMMARY_REMINDER_DAYS before)."""
    return due_date(month) - timedelta(days=MONTHLY_SUMMARY_REMINDER_DAYS)


def state_of(month: date, today: date, submitted_on: date | None = None) -> MonthlyState:
    """seed 004 四(四)3: on time through the month's last day, overdue from the day after."""
    due = due_date(month)
    if submitted_on is not None:
        return MonthlyState.LATE if submitted_on > due else MonthlyState.SUBMITTED
    if today > due:
        return MonthlyState.OVERDUE
    if today >= reminder_from(month):
        return MonthlyState.REMINDER
    return MonthlyState.OPEN


def months_back(today: date, count: int) -> list[date]:
    """The first days of the ``count`` months up to today's, newest first."""
    months, month = [], first_day(today)
    for _i in range(count):
        months.append(month)
        month = first_day(month - timedelta(days=1))
    return months


def _covered(month: date, periods) -> bool:
    start, end = summary.month_bounds(month)
    return any(valid_from < end and valid_until >= start for valid_from, valid_until in periods)


# -- the frozen copy ---------------------------------------------------------------------------------


def freeze(table: summary.Summary) -> dict:
    return {
        "rows": [
            {
                "occupation": row.occupation,
                "work_type": row.work_type,
                "counts": {str(level): n for level, n in row.counts.items()},
            }
            for row in table.rows
        ],
        "total": table.total,
    }


def thaw(counts: dict) -> summary.Summary:
    return summary.Summary(
        [
            summary.SummaryRow(
                row["occupation"], row["work_type"], {int(level): n for level, n in row["counts"].items()}
            )
            for row in (counts or {}).get("rows", [])
        ]
    )


def add_up(frozen: list[dict]) -> summary.Summary:
    """The sum of frozen tables, row by (occupation, work type)."""
    merged: dict[tuple[str, str], dict[int, int]] = {}
    for counts in frozen:
        for row in thaw(counts).rows:
            cells = merged.setdefault((row.occupation, row.work_type), {})
            for level, n in row.counts.items():
                cells[level] = cells.get(level, 0) + n
    return summary.Summary([summary.SummaryRow(occ, wt, c) for (occ, wt), c in sorted(merged.items())])


# -- an institution's months ---------------------------------------------------------------------------


@dataclass
class MonthRow:
    month: date
    due: date
    state: MonthlyState
    report: MonthlySummary | None = None

    @property
    def outstanding(self) -> bool:
        return self.state in OUTSTANDING


# The filters of an institution's list (?state=), which the dashboard's figures count and link to.
LIST_FILTERS = {
    "outstanding": lambda row, today: row.outstanding,
    "overdue": lambda row, today: row.state == MonthlyState.OVERDUE,
    "today": lambda row, today: row.outstanding and row.due == today,
    "reminder": lambda row, today: row.state == MonthlyState.REMINDER,
    "submitted": lambda row, today: not row.outstanding,
}


def institution_months(institution, today: date) -> list[MonthRow]:
    """The months (newest first, at most MONTHLY_SUMMARY_LIST_MONTHS) in which the institution held a
    filing in force, each with its due date and state. Two queries."""
    periods = institutions.filed_periods(institution)
    months = [m for m in months_back(today, MONTHLY_SUMMARY_LIST_MONTHS) if _covered(m, periods)]
    reports = {
        r.month: r
        for r in MonthlySummary.objects.filter(institution=institution, month__in=months).select_related(
            "submitted_by"
        )
    }
    rows = []
    for month in months:
        report = reports.get(month)
        rows.append(
            MonthRow(month, due_date(month), state_of(month, today, report and report.submitted_on), report)
        )
    return rows


def may_report(institution, month: date, today: date) -> bool:
    """A month the institution reports for: not after today's, and within a filing it held."""
    return first_day(month) <= first_day(today) and _covered(
        first_day(month), institutions.filed_periods(institution)
    )


def submit(institution, month: date, actor, *, reporter: str, reported_on: date) -> MonthlySummary:
    """The institution's user reports the month's 附件7 table (frozen now); once per month."""
    roles.require(actor, roles.APPLICANT)
    if getattr(actor, "institution_id", None) != institution.pk:
        raise MonthlyError(_("只能报送本单位的汇总表。"))
    month = first_day(month)
    today = timezone.localdate()
    if not may_report(institution, month, today):
        raise MonthlyError(_("该月份不需要报送汇总表。"))
    if not (reporter or "").strip():
        raise MonthlyError(_("请填写填报人。"))
    table = summary.build(institution, month)
    try:
        with transaction.atomic():
            report = MonthlySummary.objects.create(
                institution=institution,
                month=month,
                reporter=reporter.strip(),
                reported_on=reported_on,
                submitted_on=today,
                submitted_by=actor,
                counts=freeze(table),
            )
            state = state_of(month, today, today)
            audit.record(
                "certification_monthly_summary_submitted",
                report,
                actor,
                to_state=state,
                month=month.isoformat(),
                due=due_date(month).isoformat(),
                total=table.total,
            )
    except IntegrityError:
        raise MonthlyError(_("%(month)s 的汇总表已经报送。") % {"month": month.strftime("%Y-%m")}) from None
    return report


# -- the centre's city total -------------------------------------------------------------------------


@dataclass
class CityRow:
    institution: object
    state: MonthlyState
    report: MonthlySummary | None = None


def city(month: date, today: date) -> tuple[summary.Summary, list[CityRow]]:
    """The sum of the month's submitted summaries, and every institution that had to report (a filing
    in force during the month) or did, with its state. Two queries."""
    month = first_day(month)
    start, end = summary.month_bounds(month)
    reports = {
        r.institution_id: r for r in MonthlySummary.objects.filter(month=month).select_related("institution")
    }
    expected = {i.pk: i for i in institutions.filed_between(start, end - timedelta(days=1))}
    for pk, report in reports.items():
        expected.setdefault(pk, report.institution)
    rows = [
        CityRow(
            institution,
            state_of(month, today, reports[pk].submitted_on if pk in reports else None),
            reports.get(pk),
        )
        for pk, institution in sorted(expected.items(), key=lambda item: (item[1].name, item[0]))
    ]
    total = add_up([r.counts for r in reports.values()])
    return total, rows


def province_xlsx(month: date, total: summary.Summary, rows: list[CityRow], unit: str) -> bytes:
    """The city's 附件7 table for the province (seed 004 四(四)3: 统一汇总后报省人事考试中心), with a second
    sheet of each institution's submission."""
    from openpyxl import Workbook

    safe = sheets.safe_cell
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("汇总表")
    sheet.append([_("技工院校职业技能等级认定结果汇总表（%(month)s）") % {"month": month.strftime("%Y-%m")}])
    sheet.append([_("填报单位：（章）") + safe(unit), "", "", "", "", "", _("单位：人")])
    sheet.append(summary.headers())
    for row in total.rows:
        sheet.append([safe(row.occupation), safe(row.work_type), *row.cells(), row.subtotal])
    sheet.append([_("合  计"), "", *total.totals(), total.total])
    states = workbook.create_sheet(_("报送情况"))
    states.append([_("评价机构"), _("状态"), _("填报人"), _("填报日期"), _("报送日期"), _("合计")])
    for row in rows:
        report = row.report
        states.append(
            [
                safe(row.institution.name),
                str(row.state.label),
                safe(report.reporter) if report else "",
                report.reported_on.isoformat() if report else "",
                report.submitted_on.isoformat() if report else "",
                (report.counts or {}).get("total", 0) if report else "",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
