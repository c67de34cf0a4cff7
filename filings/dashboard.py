"""The filings figures of the centre's and the bureau's dashboards (issue 37, registered with portal.dashboards from
FilingsConfig.ready): the filing queue by state with its clocks, the lists of life after filing, and
the filings received and filed per month."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal import dashboards, roles
from portal.dashboards import Chart, Figure, Panel, Row, Series

from . import after_filing, constants
from .constants import State
from .constants_after import CHANGE_OPEN_STATES, ChangeState, ComplaintState, RenewalState
from .models import ChangeRequest, ChangeReview, Complaint, ExpertReview, Filing, Renewal, Sanction

# The queue's tabs without a running clock (filings.views.application.UNTIMED_QUEUE_STATES).
UNTIMED = (State.FILED, State.REJECTED)


def _url(name, *args, **query) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def queue_panel(today) -> Panel:
    """One query: each queue state's count, overdue, due today and due within 2 working days."""
    soon, provisional = dashboards.soon_day(today)
    rows = (
        Filing.objects.filter(state__in=constants.QUEUE_STATES)
        .values_list("state")
        .annotate(
            n=Count("*"),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            today=Count("pk", filter=Q(due_on=today)),
            soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)),
        )
        .order_by()
    )
    found = {state: figures for state, *figures in rows}
    out = []
    for state in constants.QUEUE_STATES:
        n, overdue, due_today, due_soon = found.get(state, (0, 0, 0, 0))
        key = f"filings-{state}"
        clocks = []
        if state not in UNTIMED:
            clocks = [
                Figure(
                    f"{key}-overdue",
                    _("已超期"),
                    overdue,
                    _url("filings:queue", state, overdue="on"),
                    "danger",
                ),
                Figure(
                    f"{key}-today",
                    _("今日到期"),
                    due_today,
                    _url("filings:queue", state, due="today"),
                    "warning",
                ),
                Figure(
                    f"{key}-soon",
                    _("2个工作日内到期"),
                    due_soon,
                    _url("filings:queue", state, due="soon"),
                    "warning",
                ),
            ]
        out.append(
            Row(
                key,
                State(state).label,
                Figure(key, State(state).label, n, _url("filings:queue", state)),
                clocks,
            )
        )
    return Panel("filings", _("备案审核队列"), out, provisional=provisional)


def after_panel(today) -> Panel:
    """Three queries: the open change requests and complaints by state, the renewals waiting."""
    changes = dict(
        ChangeRequest.objects.filter(state__in=CHANGE_OPEN_STATES)
        .values_list("state")
        .annotate(n=Count("*"))
        .order_by()
    )
    complaints = dict(
        Complaint.objects.exclude(state=ComplaintState.CLOSED)
        .values_list("state")
        .annotate(n=Count("*"))
        .order_by()
    )
    renewals = Renewal.objects.filter(state=RenewalState.SUBMITTED).count()
    rows = []
    for state in CHANGE_OPEN_STATES:
        key = f"changes-{state}"
        label = _("变更申请") + " · " + ChangeState(state).label
        rows.append(
            Row(
                key,
                label,
                Figure(key, label, changes.get(state, 0), _url("filings:after_changes", state=state)),
            )
        )
    label = _("续期申请") + " · " + RenewalState(RenewalState.SUBMITTED).label
    rows.append(
        Row(
            "renewals",
            label,
            Figure("renewals", label, renewals, _url("filings:renewal_queue", state=RenewalState.SUBMITTED)),
        )
    )
    # The complaint list's "open" is every complaint still being handled (its _in_state).
    label = _("投诉举报") + " · " + _("未办结")
    rows.append(
        Row(
            "complaints-open",
            label,
            Figure(
                "complaints-open",
                label,
                sum(complaints.values()),
                _url("filings:complaint_queue", state="open"),
            ),
        )
    )
    state = ComplaintState.INVESTIGATING
    label = _("投诉举报") + " · " + ComplaintState(state).label
    rows.append(
        Row(
            f"complaints-{state}",
            label,
            Figure(
                f"complaints-{state}",
                label,
                complaints.get(state, 0),
                _url("filings:complaint_queue", state=state),
            ),
        )
    )
    return Panel(
        "after",
        _("备案后管理"),
        rows,
        timed=False,
        note=_("变更、投诉举报的办理无法定时限，列表显示已用工作日。"),
    )


def filings_chart(months) -> Chart:
    """Two queries: filings submitted and filed per month."""
    received = dashboards.monthly(Filing.objects.filter(submitted_at__isnull=False), "submitted_at", months)
    filed = dashboards.monthly(Filing.objects.filter(filed_on__isnull=False), "filed_on", months)
    zero = [0] * len(months)
    return Chart(
        "filings",
        _("备案申请：每月收到与办结（备案）"),
        [Series(_("收到"), received.get(None, zero)), Series(_("已备案"), filed.get(None, zero))],
        kind="bar",
    )


# -- the bureau's dashboard ------------------------------------------------------------------------


def bureau_waiting_panel(today) -> Panel:
    """What waits for the bureau's decision (after_filing.bureau_waiting, one count per list), the
    filings at its approval with their clocks (one query)."""
    soon, provisional = dashboards.soon_day(today)
    state = State.EVALUATED
    clocks = Filing.objects.filter(state=state).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        today=Count("pk", filter=Q(due_on=today)),
        soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)),
    )
    rows = []
    for item in after_filing.bureau_waiting():
        key = f"waiting-{item['key']}"
        figures = []
        if item["key"] == "filings":
            figures = [
                Figure(
                    f"{key}-overdue",
                    _("已超期"),
                    clocks["overdue"],
                    _url("filings:queue", state, overdue="on"),
                    "danger",
                ),
                Figure(
                    f"{key}-today",
                    _("今日到期"),
                    clocks["today"],
                    _url("filings:queue", state, due="today"),
                    "warning",
                ),
                Figure(
                    f"{key}-soon",
                    _("2个工作日内到期"),
                    clocks["soon"],
                    _url("filings:queue", state, due="soon"),
                    "warning",
                ),
            ]
        rows.append(Row(key, item["label"], Figure(key, item["label"], item["count"], item["url"]), figures))
    return Panel(
        "waiting",
        _("待市人社局决定的事项"),
        rows,
        provisional=provisional,
        note=_("变更申请、黑名单移出无法定时限。"),
    )


def _filed_by():
    """One query: the filed institutions by route, kind and district (the 2-digit city/district part
    of the institution sequence, seed 004 附件5 四) — the rows of the queue's 已备案 tab."""
    return list(
        Filing.objects.filter(state=State.FILED)
        .annotate(district=Substr("institution_sequence", 1, 2))
        .values_list("route", "kind", "district")
        .annotate(n=Count("*"))
        .order_by()
    )


def _district_label(code) -> str:
    return _("区划 %(code)s") % {"code": code} if code else _("未编码")


def institutions_panel(today) -> Panel:
    """The filed institutions by route, kind and district, each linked to the 已备案 tab filtered so."""
    by_route, by_kind, by_district = {}, {}, {}
    for route, kind, district, n in _filed_by():
        by_route[route] = by_route.get(route, 0) + n
        by_kind[kind] = by_kind.get(kind, 0) + n
        by_district[district or ""] = by_district.get(district or "", 0) + n
    rows = []
    for route in constants.Route:
        key, label = f"filed-route-{route.value}", _("类型") + " · " + route.label
        rows.append(
            Row(
                key,
                label,
                Figure(
                    key,
                    label,
                    by_route.get(route.value, 0),
                    _url("filings:queue", State.FILED, route=route.value),
                ),
            )
        )
    for kind in constants.Kind:
        if kind.value not in by_kind:
            continue  # the kinds with none filed would fill the panel with zeros
        key, label = f"filed-kind-{kind.value}", _("机构性质") + " · " + kind.label
        rows.append(
            Row(
                key,
                label,
                Figure(key, label, by_kind[kind.value], _url("filings:queue", State.FILED, kind=kind.value)),
            )
        )
    for district in sorted(d for d in by_district if d):
        key, label = f"filed-district-{district}", _district_label(district)
        rows.append(
            Row(
                key,
                label,
                Figure(
                    key, label, by_district[district], _url("filings:queue", State.FILED, district=district)
                ),
            )
        )
    return Panel("institutions", _("已备案评价机构"), rows, timed=False, column=_("分类"))


def sanctions_panel(today) -> Panel:
    """Two queries: the rectifications still open, the complaints still being handled."""
    sanctions = Sanction.objects.filter(after_filing.open_sanctions_q()).count()
    complaints = Complaint.objects.exclude(state=ComplaintState.CLOSED).count()
    label_s, label_c = _("限期整改未完成"), _("投诉举报") + " · " + _("未办结")
    return Panel(
        "sanctions",
        _("处理措施与投诉举报"),
        [
            Row(
                "sanctions-open",
                label_s,
                Figure("sanctions-open", label_s, sanctions, _url("filings:sanctions", open="on")),
            ),
            Row(
                "bureau-complaints-open",
                label_c,
                Figure(
                    "bureau-complaints-open",
                    label_c,
                    complaints,
                    _url("filings:complaint_queue", state="open"),
                ),
            ),
        ],
        timed=False,
    )


def institutions_chart(months) -> Chart:
    """One query: the filed institutions by district (the categories), one series per route."""
    counts: dict = {}
    for route, _kind, district, n in _filed_by():
        counts[(route, district or "")] = counts.get((route, district or ""), 0) + n
    districts = sorted({d for _r, d in counts})
    return Chart(
        "institutions",
        _("已备案评价机构：按区划与类型"),
        [
            Series(route.label, [counts.get((route.value, d), 0) for d in districts])
            for route in constants.Route
        ],
        kind="stack",
        categories=[_district_label(d) for d in districts],
        axis=_("区划"),
    )


# -- an expert's dashboard --------------------------------------------------------------------------


def expert_panel(today, user) -> Panel:
    """One query: the expert's filing evaluations, to score (by the filing's evaluation clock) and done."""
    soon, provisional = dashboards.soon_day(today)
    pending = Q(submitted_at__isnull=True)
    f = ExpertReview.objects.filter(expert=user).aggregate(
        n=Count("pk"),
        pending=Count("pk", filter=pending),
        overdue=Count("pk", filter=pending & Q(filing__due_on__lt=today)),
        today=Count("pk", filter=pending & Q(filing__due_on=today)),
        soon=Count("pk", filter=pending & Q(filing__due_on__gte=today, filing__due_on__lte=soon)),
        done=Count("pk", filter=Q(submitted_at__isnull=False)),
    )
    label_all, label_pending, label_done = _("已分配"), _("待评分"), _("已提交")
    return Panel(
        "expert-filings",
        _("备案申请专家评估"),
        [
            Row(
                "expert-filings",
                label_all,
                Figure("expert-filings", label_all, f["n"], _url("filings:expert_home")),
            ),
            Row(
                "expert-filings-pending",
                label_pending,
                Figure(
                    "expert-filings-pending",
                    label_pending,
                    f["pending"],
                    _url("filings:expert_home", status="pending"),
                ),
                [
                    Figure(
                        f"expert-filings-{clock}",
                        label,
                        f[clock],
                        _url("filings:expert_home", status="pending", due=clock),
                        tone,
                    )
                    for clock, label, tone in (
                        ("overdue", _("已超期"), "danger"),
                        ("today", _("今日到期"), "warning"),
                        ("soon", _("2个工作日内到期"), "warning"),
                    )
                ],
            ),
            Row(
                "expert-filings-done",
                label_done,
                Figure(
                    "expert-filings-done", label_done, f["done"], _url("filings:expert_home", status="done")
                ),
            ),
        ],
        provisional=provisional,
        note=_("期限为备案申请的专家评估办理期限。"),
    )


def expert_changes_panel(today, user) -> Panel:
    """One query: the expert's evaluations of change requests (added occupations or levels: 变更评估),
    assigned, to score and submitted. The notices set them no deadline of their own, so no clock."""
    f = ChangeReview.objects.filter(expert=user).aggregate(
        n=Count("pk"),
        pending=Count("pk", filter=Q(submitted_at__isnull=True)),
        done=Count("pk", filter=Q(submitted_at__isnull=False)),
    )
    figures = (
        ("expert-changes", _("已分配"), f["n"], {}),
        ("expert-changes-pending", _("待评分"), f["pending"], {"status": "pending"}),
        ("expert-changes-done", _("已提交"), f["done"], {"status": "done"}),
    )
    return Panel(
        "expert-changes",
        _("变更申请专家评估"),
        [
            Row(key, label, Figure(key, label, n, _url("filings:expert_changes", **query)))
            for key, label, n, query in figures
        ],
        timed=False,
    )


def register() -> None:
    dashboards.register_panel(roles.EXPERT, 10, expert_panel, per_user=True)
    dashboards.register_panel(roles.EXPERT, 15, expert_changes_panel, per_user=True)
    dashboards.register_panel(roles.CENTRE, 10, queue_panel)
    dashboards.register_panel(roles.CENTRE, 40, after_panel)
    dashboards.register_chart(roles.CENTRE, 10, filings_chart)
    dashboards.register_panel(roles.BUREAU, 10, bureau_waiting_panel)
    dashboards.register_panel(roles.BUREAU, 20, institutions_panel)
    dashboards.register_panel(roles.BUREAU, 30, sanctions_panel)
    dashboards.register_chart(roles.BUREAU, 10, institutions_chart)
