"""The certification figures of the centre's and the institutions' dashboards (issue 37, registered with portal.dashboards
from CertificationConfig.ready): the plans by state with the three result clocks (seed 001 第十六条(三)),
the comprehensive reviews waiting with their one-month limit, and both per month."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal import dashboards, roles
from portal.dashboards import Chart, Figure, Panel, Row, Series

from . import constants as C
from . import rules
from .constants import State
from .models import AssessmentPlan, Candidate, ComprehensiveReview

# The state whose clock runs, the column it starts from, its working days (AssessmentPlan.clock).
CLOCKS = (
    ((State.APPROVED, State.IN_PROGRESS), "end_date", C.REPORT_WORKING_DAYS),
    ((State.RESULTS_REPORTED,), "reported_on", C.VERIFY_WORKING_DAYS),
    ((State.VERIFIED,), "verified_on", C.UPLOAD_WORKING_DAYS),
)


def _url(name, **query) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def _clock_q(today, soon):
    """Q objects of the running plans overdue, due today and due by ``soon``, and whether provisional."""
    overdue, due_today, due_soon = Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[])
    provisional = False
    yesterday = today - timedelta(days=1)
    for states, column, days in CLOCKS:
        late, p1 = dashboards.last_start_due_by(yesterday, days)
        by_today, p2 = dashboards.last_start_due_by(today, days)
        by_soon, p3 = dashboards.last_start_due_by(soon, days)
        provisional = provisional or p1 or p2 or p3
        running = Q(state__in=states, **{f"{column}__isnull": False})
        overdue |= running & Q(**{f"{column}__lte": late})
        due_today |= running & Q(**{f"{column}__gt": late, f"{column}__lte": by_today})
        due_soon |= running & Q(**{f"{column}__gt": late, f"{column}__lte": by_soon})
    return overdue, due_today, due_soon, provisional


def plans_panel(today) -> Panel:
    """Two queries: the plans by state, and the running clocks overdue, due today and due soon."""
    soon, provisional = dashboards.soon_day(today)
    plans = AssessmentPlan.objects.exclude(state=State.DRAFT)  # what staff see (views.visible_plans)
    counts = dict(plans.values_list("state").annotate(n=Count("*")).order_by())
    overdue, due_today, due_soon, clock_provisional = _clock_q(today, soon)
    clocks = plans.aggregate(
        overdue=Count("pk", filter=overdue),
        today=Count("pk", filter=due_today),
        soon=Count("pk", filter=due_soon),
    )
    rows = []
    for value, label in State.choices:
        if value == State.DRAFT:
            continue
        key = f"plans-{value}"
        rows.append(
            Row(
                key, label, Figure(key, label, counts.get(value, 0), _url("certification:plans", state=value))
            )
        )
    label = _("全部（三项时限）")
    rows.append(
        Row(
            "plans-all",
            label,
            Figure("plans-all", label, sum(counts.values()), _url("certification:plans")),
            [
                Figure(
                    "plans-overdue",
                    _("已超期"),
                    clocks["overdue"],
                    _url("certification:plans", clock="overdue"),
                    "danger",
                ),
                Figure(
                    "plans-today",
                    _("今日到期"),
                    clocks["today"],
                    _url("certification:plans", clock="today"),
                    "warning",
                ),
                Figure(
                    "plans-soon",
                    _("2个工作日内到期"),
                    clocks["soon"],
                    _url("certification:plans", clock="due_soon"),
                    "warning",
                ),
            ],
        )
    )
    return Panel("plans", _("认定方案与结果"), rows, provisional=provisional or clock_provisional)


def reviews_panel(today) -> Panel:
    """One query: the comprehensive reviews waiting (materials received), overdue, due today, due soon."""
    soon, provisional = dashboards.soon_day(today)
    late = rules.latest_materials_due_by(today - timedelta(days=1))
    by_today = rules.latest_materials_due_by(today)
    by_soon = rules.latest_materials_due_by(soon)
    figures = Candidate.objects.filter(review_materials_on__isnull=False).aggregate(
        n=Count("pk"),
        overdue=Count("pk", filter=Q(review_materials_on__lte=late)),
        today=Count("pk", filter=Q(review_materials_on__gt=late, review_materials_on__lte=by_today)),
        soon=Count("pk", filter=Q(review_materials_on__gt=late, review_materials_on__lte=by_soon)),
    )
    label = _("材料已收到、待评定")
    row = Row(
        "reviews",
        label,
        Figure("reviews", label, figures["n"], _url("certification:review_queue")),
        [
            Figure(
                "reviews-overdue",
                _("已超期"),
                figures["overdue"],
                _url("certification:review_queue", clock="overdue"),
                "danger",
            ),
            Figure(
                "reviews-today",
                _("今日到期"),
                figures["today"],
                _url("certification:review_queue", clock="today"),
                "warning",
            ),
            Figure(
                "reviews-soon",
                _("2个工作日内到期"),
                figures["soon"],
                _url("certification:review_queue", clock="due_soon"),
                "warning",
            ),
        ],
    )
    return Panel("reviews", _("技师、高级技师综合评审（一个月内完成）"), [row], provisional=provisional)


def plans_chart(months) -> Chart:
    """Two queries: plans submitted and plans finished (uploaded to the ministry centre) per month."""
    zero = [0] * len(months)
    received = dashboards.monthly(
        AssessmentPlan.objects.filter(submitted_on__isnull=False), "submitted_on", months
    )
    finished = dashboards.monthly(
        AssessmentPlan.objects.filter(uploaded_on__isnull=False), "uploaded_on", months
    )
    return Chart(
        "plans",
        _("认定方案：每月收到与办结（上传部鉴定中心）"),
        [Series(_("收到"), received.get(None, zero)), Series(_("已办结"), finished.get(None, zero))],
        kind="bar",
    )


def reviews_chart(months) -> Chart:
    """Two queries: comprehensive review materials received and reviews decided per month."""
    zero = [0] * len(months)
    reviews = ComprehensiveReview.objects
    received = dashboards.monthly(
        reviews.filter(materials_received_on__isnull=False), "materials_received_on", months
    )
    decided = dashboards.monthly(reviews.filter(decided_at__isnull=False), "decided_at", months)
    return Chart(
        "reviews",
        _("综合评审：每月收到材料与评定完成"),
        [Series(_("收到"), received.get(None, zero)), Series(_("已评定"), decided.get(None, zero))],
        kind="bar",
    )


# -- an institution's dashboard (its own plans only) ------------------------------------------------

SUBMIT_STATES = (State.DRAFT, State.RETURNED)  # certification.views.SUBMIT_STATES
REPORT_STATES = (State.APPROVED, State.IN_PROGRESS)


def _clock_figures(key, counts, url_of) -> list[Figure]:
    return [
        Figure(f"{key}-overdue", _("已超期"), counts[0], url_of("overdue"), "danger"),
        Figure(f"{key}-today", _("今日到期"), counts[1], url_of("today"), "warning"),
        Figure(f"{key}-soon", _("2个工作日内到期"), counts[2], url_of("due_soon"), "warning"),
    ]


def institution_deadlines_panel(today, user) -> Panel:
    """Two queries: the institution's plans to submit (实施前5个工作日报送, a clock on the start date) and
    whose results to report (结束后5个工作日内), each overdue, due today and due soon; its filings in
    their renewal window (期满前60日)."""
    from filings.after_filing import in_renewal_window_q
    from filings.models import Filing

    soon, provisional = dashboards.soon_day(today)
    submit = {c: rules.submit_clock_q(c, today) for c in ("overdue", "today", "due_soon")}
    provisional = provisional or any(p for _q, p in submit.values())
    yesterday = today - timedelta(days=1)
    report_cuts = [
        dashboards.last_start_due_by(day, C.REPORT_WORKING_DAYS) for day in (yesterday, today, soon)
    ]
    provisional = provisional or any(p for _d, p in report_cuts)
    late, by_today, by_soon = (d for d, _p in report_cuts)
    mine = AssessmentPlan.objects.filter(institution_id=user.institution_id)
    to_submit, to_report = Q(state__in=SUBMIT_STATES), Q(state__in=REPORT_STATES)
    f = mine.aggregate(
        submit=Count("pk", filter=to_submit),
        submit_overdue=Count("pk", filter=to_submit & submit["overdue"][0]),
        submit_today=Count("pk", filter=to_submit & submit["today"][0]),
        submit_soon=Count("pk", filter=to_submit & submit["due_soon"][0]),
        report=Count("pk", filter=to_report),
        report_overdue=Count("pk", filter=to_report & Q(end_date__lte=late)),
        report_today=Count("pk", filter=to_report & Q(end_date__gt=late, end_date__lte=by_today)),
        report_soon=Count("pk", filter=to_report & Q(end_date__gt=late, end_date__lte=by_soon)),
    )
    renewals = Filing.objects.filter(in_renewal_window_q(today), institution_id=user.institution_id).count()
    rows = []
    for step, label in (
        ("submit", _("认定方案待报送（实施前%(n)s个工作日报送）") % {"n": rules.lead_days()}),
        ("report", _("认定结果待上报（结束后%(n)s个工作日内）") % {"n": C.REPORT_WORKING_DAYS}),
    ):
        key = f"mine-{step}"
        rows.append(
            Row(
                key,
                label,
                Figure(key, label, f[step], _url("certification:plans", step=step)),
                _clock_figures(
                    key,
                    (f[f"{step}_overdue"], f[f"{step}_today"], f[f"{step}_soon"]),
                    lambda clock, step=step: _url("certification:plans", step=step, clock=clock),
                ),
            )
        )
    from filings.constants_after import RENEWAL_WINDOW_DAYS

    label = _("备案可申请续期（期满前%(n)s日内）") % {"n": RENEWAL_WINDOW_DAYS}
    rows.append(
        Row(
            "mine-renewal",
            label,
            Figure("mine-renewal", label, renewals, _url("filings:after_mine", renewal="window")),
        )
    )
    rows.append(_monthly_row(today, user))
    return Panel("deadlines", _("本单位的时限"), rows, provisional=provisional)


def _monthly_row(today, user) -> Row:
    """Two queries: the months whose results summary (seed 004 附件7) is still to be reported (seed 004
    四(四)3: 于月末报), overdue and within the reminder window (certification.monthly)."""
    from . import monthly

    months = monthly.institution_months(user.institution, today)
    count = {key: sum(1 for m in months if keep(m, today)) for key, keep in monthly.LIST_FILTERS.items()}
    url = lambda state: _url("certification:monthly", state=state)  # noqa: E731
    label = _("认定结果月度汇总待报送（月末前报送）")
    return Row(
        "mine-monthly",
        label,
        Figure("mine-monthly", label, count["outstanding"], url("outstanding")),
        [
            Figure("mine-monthly-overdue", _("已超期"), count["overdue"], url("overdue"), "danger"),
            Figure("mine-monthly-today", _("今日到期"), count["today"], url("today"), "warning"),
            Figure(
                "mine-monthly-soon",
                _("%(n)s天内到期") % {"n": C.MONTHLY_SUMMARY_REMINDER_DAYS},
                count["reminder"],
                url("reminder"),
                "warning",
            ),
        ],
    )


def institution_plans_panel(today, user) -> Panel:
    """One query: the institution's plans by state."""
    counts = dict(
        AssessmentPlan.objects.filter(institution_id=user.institution_id)
        .values_list("state")
        .annotate(n=Count("*"))
        .order_by()
    )
    rows = []
    for value, label in State.choices:
        key = f"mine-plans-{value}"
        rows.append(
            Row(
                key, label, Figure(key, label, counts.get(value, 0), _url("certification:plans", state=value))
            )
        )
    return Panel("mine-plans", _("本单位认定方案（按状态）"), rows, timed=False)


# -- an expert's dashboard --------------------------------------------------------------------------


def expert_reviews_panel(today, user) -> Panel:
    """One query: the comprehensive reviews the expert was drawn for, still open and decided."""
    from .models import Panelist

    f = Panelist.objects.filter(expert=user).aggregate(
        n=Count("pk"),
        open=Count("pk", filter=Q(review__passed__isnull=True)),
        done=Count("pk", filter=Q(review__passed__isnull=False)),
    )
    rows = []
    for key, label, count, query in (
        ("expert-reviews", _("已分配"), f["n"], {}),
        ("expert-reviews-open", _("待评定"), f["open"], {"status": "open"}),
        ("expert-reviews-done", _("已评定"), f["done"], {"status": "done"}),
    ):
        rows.append(Row(key, label, Figure(key, label, count, _url("certification:expert_reviews", **query))))
    return Panel("expert-reviews", _("技师、高级技师综合评审"), rows, timed=False)


def register() -> None:
    dashboards.register_panel(roles.EXPERT, 20, expert_reviews_panel, per_user=True)
    dashboards.register_panel(roles.APPLICANT, 10, institution_deadlines_panel, per_user=True)
    dashboards.register_panel(roles.APPLICANT, 20, institution_plans_panel, per_user=True)
    for role in (roles.CENTRE,):
        dashboards.register_panel(role, 20, plans_panel)
        dashboards.register_panel(role, 30, reviews_panel)
        dashboards.register_chart(role, 20, plans_chart)
        dashboards.register_chart(role, 30, reviews_chart)
