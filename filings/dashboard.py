"""The filings figures of the centre's dashboard (issue 37, registered with portal.dashboards from
FilingsConfig.ready): the filing queue by state with its clocks, the lists of life after filing, and
the filings received and filed per month."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal import dashboards, roles
from portal.dashboards import Chart, Figure, Panel, Row, Series

from . import constants
from .constants import State
from .constants_after import CHANGE_OPEN_STATES, ChangeState, ComplaintState, RenewalState
from .models import ChangeRequest, Complaint, Filing, Renewal

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


def register() -> None:
    for role in (roles.CENTRE, roles.BUREAU):
        dashboards.register_panel(role, 10, queue_panel)
        dashboards.register_panel(role, 40, after_panel)
        dashboards.register_chart(role, 10, filings_chart)
