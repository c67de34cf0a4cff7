"""The enterprise 鉴定 on the centre's and the bureau's dashboards (issue 37; seed 002 附件1): what waits for
each, counted in one query, each figure linked to the list of 鉴定 filtered by the same state."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal import dashboards, roles
from portal.dashboards import Figure, Panel, Row

from .constants import State
from .models import Appraisal

# What waits for whom (workflow.queue says the same): the centre reviews, files and arranges; the bureau
# dispatches the supervisors and (四(六)) issues the 职业资格证书.
WAITING = {
    roles.CENTRE: (State.SUBMITTED, State.FILED, State.ARRANGED, State.PUBLICISED),
    roles.BUREAU: (State.QUESTIONS_RECORDED, State.REPORTED),
}


def _panel(role: str) -> Panel:
    states = WAITING[role]
    counts = dict(
        Appraisal.objects.filter(state__in=states).values_list("state").annotate(n=Count("*")).order_by()
    )
    url = reverse("appraisals:mine")
    rows = [
        Row(
            f"appraisals-{state}",
            str(State(state).label),
            Figure(
                f"appraisals-{state}",
                str(State(state).label),
                counts.get(state, 0),
                f"{url}?{urlencode({'state': state})}",
            ),
        )
        for state in states
    ]
    return Panel("appraisals", _("企业职业技能鉴定"), rows, timed=False)


def centre_panel(today) -> Panel:
    return _panel(roles.CENTRE)


def bureau_panel(today) -> Panel:
    return _panel(roles.BUREAU)


def register() -> None:
    dashboards.register_panel(roles.CENTRE, 35, centre_panel)
    dashboards.register_panel(roles.BUREAU, 15, bureau_panel)
