"""The centre's dashboard shows the public lookups (issue 37): today's lookups, those refused and those over
the rate limit, each linking to the lookup statistics page that shows the same day; and a chart of the last
30 days whose numbers are the log's."""

import datetime
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from certificates.constants import LOOKUP_STATS_DAYS
from certificates.models import LookupEvent

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 7, 15, 0, tzinfo=SHANGHAI)
Kind, Outcome = LookupEvent.Kind, LookupEvent.Outcome


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def log(outcome, n, at=NOW, kind=Kind.LOOKUP):
    LookupEvent.objects.bulk_create(
        LookupEvent(kind=kind, outcome=outcome, ip_hash=f"h{i}", at=at) for i in range(n)
    )


def figures(page: str) -> dict[str, tuple[int, str]]:
    found = re.findall(r'<a href="([^"]+)" data-testid="fig-([\w-]+)"[^>]*>(\d+)</a>', page)
    return {key: (int(n), html.unescape(url)) for url, key, n in found}


def world():
    log(Outcome.FOUND, 4)
    log(Outcome.VALID, 2, kind=Kind.VERIFY)
    log(Outcome.NOT_FOUND, 3)
    log(Outcome.MISMATCH, 1, kind=Kind.API)
    log(Outcome.LIMITED, 5)
    log(Outcome.FOUND, 7, at=NOW - datetime.timedelta(days=1))  # yesterday: the chart, not today's figures
    log(Outcome.FOUND, 9, at=NOW - datetime.timedelta(days=LOOKUP_STATS_DAYS))  # before the 30 days


def test_todays_figures_are_the_logs_counts_and_link_to_the_statistics(client, carol):
    world()
    client.force_login(carol)
    got = figures(client.get(reverse("centre_dashboard")).content.decode())
    today = LookupEvent.objects.filter(at__date=NOW.date())
    assert got["lookups-today"][0] == today.count() == 15
    assert (
        got["lookups-refused"][0]
        == today.filter(outcome__in=[Outcome.NOT_FOUND, Outcome.MISMATCH]).count()
        == 4
    )
    assert got["lookups-limited"][0] == today.filter(outcome=Outcome.LIMITED).count() == 5
    url = got["lookups-today"][1]
    assert url == reverse("certificates:staff_lookup_stats")
    stats = client.get(url)
    assert stats.status_code == 200
    (row,) = [d for d in stats.context["days"] if d.day == NOW.date()]
    assert (row.total, row.not_found, row.limited) == (15, 4, 5)


def test_the_chart_has_30_days_and_its_table_the_same_numbers(client, carol):
    world()
    client.force_login(carol)
    charts = {c["key"]: c for c in client.get(reverse("centre_charts")).json()["charts"]}
    chart = charts["lookups"]
    assert len(chart["months"]) == LOOKUP_STATS_DAYS
    assert chart["months"][-1] == "12-07" and chart["months"][-2] == "12-06"
    answered, refused, limited = (s["data"] for s in chart["series"])
    assert (answered[-1], refused[-1], limited[-1]) == (6, 4, 5)
    assert (answered[-2], refused[-2], limited[-2]) == (7, 0, 0)
    assert sum(answered) == 13  # the day before the 30 days is not counted
    assert chart["rows"][-1] == {"month": "12-07", "values": [6, 4, 5]}


def test_no_lookups_shows_zeros_not_an_error(client, carol):
    client.force_login(carol)
    got = figures(client.get(reverse("centre_dashboard")).content.decode())
    assert got["lookups-today"][0] == got["lookups-refused"][0] == got["lookups-limited"][0] == 0
