"""The centre's exam-day supervision pages (issue 44 item 4): the calendar of every institution's sessions
(a week, today marked), the day's draw of on-site checks, and a session's check with its findings. Thin views
over certification.session_checks: centre and bureau staff read; the centre draws and records."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal import errors, roles, steps, workdays
from portal.post_only import post_only

from . import session_checks
from .forms import DrawForm, FindingsForm, WeekForm
from .models import ExamSession

STAFF = (roles.CENTRE, roles.BUREAU)


def _calendar_url(day: datetime.date) -> str:
    return reverse("certification:session_calendar") + "?" + urlencode({"week": day.isoformat()})


def _crumbs(*more):
    return [(_("认定方案"), reverse("certification:plans")), *more]


@require_GET
@roles.role_required(*STAFF)
def session_calendar(request):
    form = WeekForm(request.GET or None)
    day = (form.cleaned_data.get("week") if form.is_valid() else None) or workdays.today()
    first, last = session_checks.week_of(day)
    page = Paginator(
        session_checks.sessions_between(first, last), session_checks.CALENDAR_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    by_day: dict[datetime.date, list] = {}
    for session in page.object_list:
        by_day.setdefault(timezone.localdate(session.starts_at), []).append(session)
    draws = {d.day: d for d in session_checks.SessionCheckDraw.objects.filter(day__gte=first, day__lte=last)}
    days = [(d, by_day[d], draws.get(d)) for d in sorted(by_day)]
    today = workdays.today()
    can_draw = roles.has_role(request.user, roles.CENTRE)
    undrawn = [d for d, rows, draw in days if draw is None and d >= today]
    later = session_checks.next_session_day(last + datetime.timedelta(days=1)) if not days else None
    if not days:
        next_step = _("本周没有考场安排。可选择其他日期查看。")
    elif can_draw and undrawn:
        next_step = _("下一步：为 %(day)s 抽取现场督导的考场。") % {"day": undrawn[0].isoformat()}
    elif can_draw:
        next_step = _("下一步：对抽中的考场开展现场督导，并登记检查发现。")
    else:
        next_step = _("本页供查阅；抽取和登记由市职业技能鉴定指导中心办理。")
    return render(
        request,
        "certification/session_calendar.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "today": today,
            "days": days,
            "page": page,
            "page_query": urlencode({"week": first.isoformat()}),
            "previous_week": _calendar_url(first - datetime.timedelta(days=7)),
            "next_week": _calendar_url(first + datetime.timedelta(days=7)),
            "this_week": _calendar_url(today),
            "can_draw": can_draw,
            "next_step": next_step,
            "later": later,
            "later_url": _calendar_url(later) if later else "",
            "breadcrumbs": _crumbs((_("考场日历与现场督导"), None)),
        },
    )


def _calendar_page(request, **_ignored):
    """Where a stray GET of the draw goes: the calendar."""
    return reverse("certification:session_calendar")


@roles.role_required(roles.CENTRE)
@post_only(_calendar_page)
def session_checks_draw(request):
    form = DrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写督导日期和抽取考场数（至少 1 个）。"))
        return redirect(reverse("certification:session_calendar"))
    day = form.cleaned_data["day"]
    try:
        draw = session_checks.draw_checks(day, form.cleaned_data["n"], request.user)
    except errors.PortalError as error:
        steps.refused(request, error)
        return redirect(_calendar_url(day))
    names = "、".join(
        f"{s.plan.institution.name} {s.room}"
        for s in ExamSession.objects.filter(pk__in=draw.chosen).select_related("plan__institution")
    )
    messages.success(
        request,
        _("已抽取 %(day)s 的现场督导考场（随机种子 %(seed)s）：%(names)s。")
        % {"day": day.isoformat(), "seed": draw.seed, "names": names},
    )
    return redirect(_calendar_url(day))


@roles.role_required(*STAFF)
def session_check(request, session_pk):
    session = get_object_or_404(
        ExamSession.objects.select_related("plan__institution", "plan__occupation", "supervisor"),
        pk=session_pk,
    )
    checks = list(session.checks.select_related("draw", "inspection").order_by("pk"))
    recorded = [c for c in checks if c.inspection_id]
    can_record = roles.has_role(request.user, roles.CENTRE) and not recorded
    form = FindingsForm(request.POST or None, initial={"method": "onsite"}) if can_record else None
    if request.method == "POST":
        if not roles.has_role(request.user, roles.CENTRE):
            raise PermissionDenied(roles.permission_message())
        if recorded:
            messages.error(request, _("该考场已登记督导检查记录。"))
            return redirect(reverse("certification:session_check", args=[session.pk]))
        if form.is_valid():
            try:
                session_checks.record_findings(session, request.user, **form.cleaned_data)
            except errors.PortalError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已登记督导检查记录，并纳入该机构的督导检查记录。"))
                return redirect(_calendar_url(timezone.localdate(session.starts_at)))
    return render(
        request,
        "certification/session_check.html",
        {
            "session": session,
            "checks": checks,
            "recorded": recorded,
            "drawn": any(c.draw_id for c in checks),
            "form": form,
            "calendar_url": _calendar_url(timezone.localdate(session.starts_at)),
            "breadcrumbs": _crumbs(
                (_("考场日历与现场督导"), _calendar_url(timezone.localdate(session.starts_at))),
                (str(session), None),
            ),
        },
    )
