import hashlib

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from . import audit, dashboards, roles, subjects, workdays
from . import calendar_import as notices
from .downloads import attachment
from .forms import ApplicantRegistrationForm, CalendarImportForm
from .models import CalendarDay, CalendarYear, Job
from .post_only import post_only


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links (issue 29 item 11d): the portal's icon."""
    response = redirect(static("portal/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def home(request):
    return render(request, "portal/home.html")


def register(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = ApplicantRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="portal.login.LimitedModelBackend")
        messages.success(request, _("注册成功，欢迎使用技能认定门户。"))
        return redirect("dashboard")
    return render(request, "portal/register.html", {"form": form})


@login_required
def dashboard(request):
    """Sends each role to its home: the role's dashboard where one is registered (issue 37)."""
    role = roles.primary_role(request.user)
    if role is None and request.user.is_staff:
        return redirect("admin:index")
    if role in DASHBOARDS and dashboards.has_dashboard(role):  # the dashboard replaces the landing
        return _role_dashboard(request, role)
    return render(request, "portal/dashboard.html", {"role": role, "role_label": roles.ROLE_LABELS.get(role)})


# The roles with a dashboard: (its charts' JSON endpoint, the heading over its charts).
DASHBOARDS = {
    roles.CENTRE: ("centre_charts", gettext_lazy("近 12 个月")),
    roles.BUREAU: ("bureau_charts", gettext_lazy("已备案评价机构")),
    roles.APPLICANT: ("institution_charts", gettext_lazy("本单位的认定与证书")),
    roles.EXPERT: (None, ""),  # figures only
}


@roles.role_required(roles.CENTRE, roles.BUREAU)
def centre_dashboard(request):
    """The centre's dashboard (工作台): every queue's count by state and clock, and the year by month. The
    figures come from the apps above portal, registered with portal.dashboards; the bureau may read it."""
    return _role_dashboard(request, roles.CENTRE)


@roles.role_required(roles.BUREAU)
def bureau_dashboard(request):
    """The bureau's dashboard: what waits for its decision, the institutions filed, sanctions and
    complaints open."""
    return _role_dashboard(request, roles.BUREAU)


@roles.role_required(roles.APPLICANT)
def institution_dashboard(request):
    """An institution's dashboard: its own deadlines, plans, certificates and pass rates only."""
    return _role_dashboard(request, roles.APPLICANT)


@roles.role_required(roles.EXPERT)
def expert_dashboard(request):
    """An expert's dashboard: the evaluations and reviews assigned to the expert, due and done."""
    return _role_dashboard(request, roles.EXPERT)


def _role_dashboard(request, role):
    today = workdays.today()
    months = dashboards.last_months(today)
    charts_url, charts_heading = DASHBOARDS[role]
    context = {
        "role": roles.primary_role(request.user),
        "role_label": roles.ROLE_LABELS.get(role),
        "today": today,
        "panels": dashboards.panels(role, today, request.user),
        "charts": [chart.as_json(months) for chart in dashboards.charts(role, months, request.user)],
        "charts_url": reverse(charts_url) if charts_url else "",
        "charts_heading": charts_heading,
        "soon_days": dashboards.SOON_WORKING_DAYS,
    }
    return render(request, "portal/dashboard_centre.html", context)


def _charts_json(request, role):
    """A dashboard's charts as JSON (ECharts draws them; the page shows the same numbers in tables):
    {"months": [...], "charts": [{"key", "title", "kind", "months", "series": [...]}]}."""
    months = dashboards.last_months(workdays.today())
    charts = [chart.as_json(months) for chart in dashboards.charts(role, months, request.user)]
    return JsonResponse({"months": [dashboards.month_label(m) for m in months], "charts": charts})


@roles.role_required(roles.CENTRE, roles.BUREAU)
def centre_charts(request):
    return _charts_json(request, roles.CENTRE)


@roles.role_required(roles.BUREAU)
def bureau_charts(request):
    return _charts_json(request, roles.BUREAU)


@roles.role_required(roles.APPLICANT)
def institution_charts(request):
    return _charts_json(request, roles.APPLICANT)


@login_required
def notifications(request):
    rows = request.user.notifications.all()
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    named = subjects.names_of(n.url for n in page.object_list)
    for notification in page.object_list:
        notification.subject = named.get(notification.url, "")
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@post_only("notifications")
def notifications_read(request):
    audit.mark_all_read(request.user)
    return redirect("notifications")


def _notifications_page(request):
    """Back to the page of the list the form was on (its ``page`` field)."""
    page = request.POST.get("page", "")
    return reverse("notifications") + (f"?page={page}" if page.isdigit() else "")


@login_required
@post_only("notifications")
def notification_read(request, pk):
    """Marks one of the user's own notices read (another user's is not found)."""
    if not audit.mark_read(request.user, pk):
        raise Http404
    return redirect(_notifications_page(request))


def error_400(request, exception=None):
    """Django's 400 (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a bad Host...) in Chinese.
    Rendered without the request: the base layout's context (user, host) may be what was wrong."""
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig
    from django.http import HttpResponseBadRequest
    from django.template.defaultfilters import filesizeformat
    from django.template.loader import render_to_string

    context = {
        "too_big": isinstance(exception, RequestDataTooBig),
        "file_max": filesizeformat(settings.UPLOAD_MAX_BYTES),
        "data_max": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
    }
    return HttpResponseBadRequest(render_to_string("400.html", context))


def error_403(request, exception=None):
    return render(request, "403.html", {"message": str(exception or "")}, status=403)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form sent without a valid security token (a page left open too
    long, a log-in or log-out in another tab, cookies blocked) gets the portal's own page, which says
    to go back and submit again, instead of Django's English one. ``reason`` is in the security log
    (django.security.csrf), never shown. The button reopens the page the form came from (its
    same-site Referer), else the address it was sent to."""
    referer = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    retry = referer if referer and same_site else request.path
    return render(request, "csrf_failure.html", {"retry_path": retry}, status=403)


# -- the working-day calendar (staff) ----------------------------------------------------------------

# Staff may enter years up to this many after the current one (the State Council announces the next
# year's holidays in November or December).
CALENDAR_YEARS_AHEAD = 1


def _calendar_year_or_404(request, year: int) -> int:
    if not roles.can_view_calendar(request.user):
        raise Http404
    if not workdays.OFFICIAL_FIRST_YEAR <= year <= workdays.today().year + CALENDAR_YEARS_AHEAD:
        raise Http404
    return year


def _calendar_editor(request, year: int) -> int:
    _calendar_year_or_404(request, year)
    if not roles.can_edit_calendar(request.user):
        raise PermissionDenied(_("您没有修改工作日历的权限，请联系市职业技能鉴定指导中心审核人员。"))
    return year


def _calendar_url(year: int) -> str:
    return f"{reverse('calendar')}?year={year}"


@login_required
def calendar(request):
    """A year's calendar: where it comes from, whether it is complete, the staff entries."""
    default = workdays.unknown_next_year_warning() or workdays.today().year
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        year = default
    _calendar_year_or_404(request, year)
    today = workdays.today()
    return render(
        request,
        "portal/calendar.html",
        {
            "year": year,
            "source": workdays.year_source(year),
            "declaration": CalendarYear.objects.filter(year=year).select_related("declared_by").first(),
            "entries": CalendarDay.objects.filter(date__year=year).select_related("updated_by"),
            "can_edit": roles.can_edit_calendar(request.user),
            "years": range(today.year - 1, today.year + CALENDAR_YEARS_AHEAD + 1),
            "breadcrumbs": [(_("工作日历"), None)],
        },
    )


def _fingerprint(text: str) -> str:
    normalized = "\n".join(line.strip() for line in (text or "").strip().splitlines())
    return hashlib.sha256(normalized.encode()).hexdigest()[:32]


@login_required
def calendar_import(request, year):
    """Paste (or upload) a year's notice, see the preview, confirm: portal/calendar_import.py does the work."""
    _calendar_editor(request, year)
    form = CalendarImportForm(request.POST or None, request.FILES or None)
    parsed = changes = kept = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        parsed = notices.parse(text, year)
        confirmed = request.POST.get("action") == "confirm"
        if confirmed and parsed.ok and form.cleaned_data["previewed"] == _fingerprint(text):
            declare = form.cleaned_data["declare_complete"]
            notices.apply(parsed, request.user, declare_complete=declare)
            if declare:
                text_ok = _("已导入 %(year)s 年的 %(n)s 个日期，并确认该年工作日历完整。")
            else:
                text_ok = _("已导入 %(year)s 年的 %(n)s 个日期；该年尚未确认完整，相关期限仍为暂定。")
            messages.success(request, text_ok % {"year": year, "n": len(parsed.days)})
            return redirect(_calendar_url(year))
        if confirmed and parsed.ok:
            messages.warning(request, _("通知文本在预览后已修改，请核对下面的新预览后再确认。"))
        # Show what was read (a file's text too), so that nothing is lost on a refused submission.
        form = CalendarImportForm(
            {
                "text": text,
                "declare_complete": form.cleaned_data["declare_complete"],
                "previewed": _fingerprint(text) if parsed.ok else "",
            }
        )
        form.is_valid()
        if parsed.ok:
            changes, kept = notices.preview(parsed)
    return render(
        request,
        "portal/calendar_import.html",
        {
            "year": year,
            "form": form,
            "parsed": parsed,
            "changes": changes,
            "kept": kept,
            "breadcrumbs": [(_("工作日历"), _calendar_url(year)), (_("导入节假日安排通知"), None)],
        },
    )


def _calendar_page(request, year):
    return _calendar_url(_calendar_editor(request, year))


@login_required
@post_only(_calendar_page)
def calendar_complete(request, year):
    """Declares a year complete (complete=1) or withdraws the declaration (complete=0)."""
    _calendar_editor(request, year)
    if workdays.is_official_year(year):
        messages.error(request, _("%(year)s 年的安排已由国家公布的数据提供，无需确认。") % {"year": year})
        return redirect(_calendar_url(year))
    complete = request.POST.get("complete") == "1"
    notices.set_complete(year, request.user, complete)
    if complete:
        messages.success(
            request, _("已确认 %(year)s 年工作日历完整，该年的期限不再是暂定日期。") % {"year": year}
        )
    else:
        messages.success(
            request, _("已撤销 %(year)s 年的完整确认，该年的期限将显示为暂定日期。") % {"year": year}
        )
    return redirect(_calendar_url(year))


# -- long work with a progress bar (portal.jobs, issue 39 item 4) ---------------------------------------


def _own_job(request, pk):
    return get_object_or_404(Job, pk=pk, owner=request.user)


@login_required
def job_list(request):
    """The user's long pieces of work, newest first: leave a page, come back here."""
    page = Paginator(Job.objects.filter(owner=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "portal/jobs.html", {"page": page, "breadcrumbs": [(_("后台任务"), None)]})


@login_required
def job_detail(request, pk):
    job = _own_job(request, pk)
    return render(
        request,
        "portal/job.html",
        {"job": job, "breadcrumbs": [(_("后台任务"), reverse("job_list")), (job.title, None)]},
    )


@login_required
def job_status(request, pk):
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
            "result_url": reverse("job_result", args=[job.pk]) if job.result else "",
            "over": job.is_over,
        }
    )


@login_required
def job_result(request, pk):
    job = _own_job(request, pk)
    if not job.result:
        raise Http404
    with job.result.open("rb") as stored:
        return attachment(stored.read(), job.result_name)
