"""Pages of the monthly results summary (seed 004 四(四)3 / 附件7): the institution's months and its
submission, the centre's city total and the province table. The rules live in certification.monthly."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import roles, steps
from portal.downloads import attachment

from . import monthly, summary
from .constants import MONTHLY_SUMMARY_REMINDER_DAYS, Level
from .forms import MonthlySummaryForm


def _institution(request):
    if not roles.has_role(request.user, roles.APPLICANT) or not request.user.institution_id:
        raise Http404
    return request.user.institution


def _levels():
    return [Level(v).label for v in summary.LEVEL_ORDER]


def _month(year: int, month: int) -> datetime.date:
    try:
        return datetime.date(year, month, 1)
    except ValueError:
        raise Http404 from None


@login_required
def monthly_list(request):
    institution = _institution(request)
    today = timezone.localdate()
    rows = monthly.institution_months(institution, today)
    chosen = request.GET.get("state", "")
    if chosen in monthly.LIST_FILTERS:
        rows = [r for r in rows if monthly.LIST_FILTERS[chosen](r, today)]
    return render(
        request,
        "certification/monthly_list.html",
        {
            "rows": rows,
            "chosen": chosen,
            "filters": [(key, _label(key)) for key in monthly.LIST_FILTERS],
            "reminder_days": MONTHLY_SUMMARY_REMINDER_DAYS,
            "breadcrumbs": [(_("认定结果月度汇总"), "")],
        },
    )


def _label(key):
    return {
        "outstanding": _("待报送"),
        "overdue": _("已逾期"),
        "today": _("今日到期"),
        "reminder": _("即将到期"),
        "submitted": _("已报送"),
    }[key]


@login_required
def monthly_month(request, year, month):
    institution = _institution(request)
    month = _month(year, month)
    today = timezone.localdate()
    if not monthly.may_report(institution, month, today):
        raise Http404
    report = institution.monthly_summaries.filter(month=month).select_related("submitted_by").first()
    form = None
    if report is None:
        form = MonthlySummaryForm(request.POST or None, initial={"reported_on": today})
        if request.method == "POST" and form.is_valid():
            try:
                monthly.submit(institution, month, request.user, **form.cleaned_data)
                messages.success(
                    request, _("已报送 %(month)s 的认定结果汇总表。") % {"month": f"{month:%Y-%m}"}
                )
                return redirect("certification:monthly")
            except monthly.MonthlyError as error:
                messages.error(request, str(error))
    table = monthly.thaw(report.counts) if report else summary.build(institution, month)
    return render(
        request,
        "certification/monthly_month.html",
        {
            "institution": institution,
            "month": month,
            "due": monthly.due_date(month),
            "state": monthly.state_of(month, today, report and report.submitted_on),
            "report": report,
            "form": form,
            "table": table,
            "levels": _levels(),
            "breadcrumbs": [
                (_("认定结果月度汇总"), reverse("certification:monthly")),
                (f"{month:%Y-%m}", ""),
            ],
        },
    )


@login_required
def monthly_city(request):
    steps.only(request, roles.CENTRE)
    today = timezone.localdate()
    month = monthly.first_day(today)
    if request.GET.get("month"):
        try:
            month = datetime.datetime.strptime(request.GET["month"], "%Y-%m").date()
        except ValueError:
            messages.error(request, _("月份格式应为 YYYY-MM。"))
    total, rows = monthly.city(month, today)
    if request.GET.get("format") == "xlsx":
        unit = _("市职业技能鉴定指导中心")
        return attachment(
            monthly.province_xlsx(month, total, rows, unit), f"certification-monthly-{month:%Y-%m}.xlsx"
        )
    return render(
        request,
        "certification/monthly_city.html",
        {
            "month": month,
            "due": monthly.due_date(month),
            "total": total,
            "rows": rows,
            "missing": sum(1 for r in rows if r.report is None),
            "levels": _levels(),
            "breadcrumbs": [(_("认定结果月度汇总（全市）"), "")],
        },
    )
