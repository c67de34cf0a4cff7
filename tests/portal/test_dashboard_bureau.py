"""The bureau's dashboard (issue 37, slice 2): what waits for its decision, the institutions filed by
route, kind and district (a chart and its table), sanctions and complaints open. Figures equal the
database counts of the data made here, each figure's list shows the same count, a constant number of
queries whatever the data size, and who may see it."""

import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from portal import dashboards
from tests.portal.test_dashboard_centre import _queries, figures, list_count

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)  # a Monday, a working day
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _world():
    from filings.constants import State
    from filings.constants_after import ChangeState, ComplaintState
    from tests.filings.factories import in_state
    from tests.filings.factories_after import (
        BlacklistEntryFactory,
        ChangeRequestFactory,
        ComplaintFactory,
        FiledFilingFactory,
        SanctionFactory,
    )

    # At the bureau's approval: one overdue, one due today, one due in 30 days; others elsewhere.
    soon = dashboards.soon_day(TODAY)[0]
    for due in (TODAY - timedelta(days=2), TODAY, soon, TODAY + timedelta(days=30)):
        in_state(State.EVALUATED, due_on=due)
    in_state(State.SUBMITTED, due_on=TODAY)
    # Filed: two employers in district 01 (an enterprise, a technician college), one social
    # organisation in district 02; one filing expired by revocation does not count.
    a = FiledFilingFactory(institution_sequence="013001")
    FiledFilingFactory(institution_sequence="014002", kind="technician_college")
    FiledFilingFactory(route="S", kind="social_group", institution_sequence="026003")
    ChangeRequestFactory(filing=a, state=ChangeState.EVALUATED)
    ChangeRequestFactory(filing=a)  # at the centre: not the bureau's
    BlacklistEntryFactory()
    # Sanctions: one rectification open, one done, one criticism (nothing to keep open).
    SanctionFactory(filing=a, rectification=True)
    SanctionFactory(filing=a, rectification=True, rectified_on=datetime.date(2026, 5, 20))
    SanctionFactory(filing=a)
    ComplaintFactory(filing=a)
    ComplaintFactory(filing=a, state=ComplaintState.INVESTIGATING)
    ComplaintFactory(filing=a, state=ComplaintState.CLOSED)


def test_the_figures_are_the_database_counts_and_their_lists_show_the_same(client, dave):
    from filings.constants import State
    from filings.models import BlacklistEntry, ChangeRequest, Complaint, Filing, Sanction

    _world()
    client.force_login(dave)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="panel-waiting"' in page and 'data-testid="panel-filings"' not in page
    got = figures(page)
    evaluated = Filing.objects.filter(state=State.EVALUATED)
    assert got["waiting-filings"][0] == evaluated.count() == 4
    assert got["waiting-filings-overdue"][0] == evaluated.filter(due_on__lt=TODAY).count() == 1
    assert got["waiting-filings-today"][0] == 1
    assert got["waiting-filings-soon"][0] == 2
    assert got["waiting-changes"][0] == ChangeRequest.objects.filter(state="evaluated").count() == 1
    assert got["waiting-blacklist"][0] == BlacklistEntry.objects.filter(state="listed").count() == 1
    filed = Filing.objects.filter(state=State.FILED)
    assert got["filed-route-Y"][0] == filed.filter(route="Y").count() == 2
    assert got["filed-route-S"][0] == 1
    assert got["filed-kind-enterprise"][0] == filed.filter(kind="enterprise").count() == 1
    assert got["filed-kind-technician_college"][0] == 1
    assert got["filed-kind-social_group"][0] == 1
    assert "filed-kind-other" not in got  # no zero rows for the kinds nobody filed as
    assert got["filed-district-01"][0] == filed.filter(institution_sequence__startswith="01").count() == 2
    assert got["filed-district-02"][0] == 1
    assert (
        got["sanctions-open"][0] == Sanction.objects.filter(kind="rectification", rectified_on=None).count()
    )
    assert got["sanctions-open"][0] == 1
    assert got["bureau-complaints-open"][0] == Complaint.objects.exclude(state="closed").count() == 2
    # Every figure's link opens its list, filtered by the list's own filters, with the same count.
    for key, (count, url) in got.items():
        assert list_count(client, url) == count, (key, url)


def test_the_institutions_chart_and_its_table(client, dave):
    _world()
    client.force_login(dave)
    data = client.get(reverse("bureau_charts")).json()
    (chart,) = data["charts"]
    assert chart["key"] == "institutions" and chart["months"] == ["区划 01", "区划 02"]
    series = {s["name"]: s["data"] for s in chart["series"]}
    assert series == {"用人单位自主评价（Y）": [2, 0], "社会培训评价组织（S）": [0, 1]}
    page = client.get(reverse("bureau_dashboard")).content.decode()
    table = page.split('data-testid="table-institutions"')[1].split("</table>")[0]
    assert "区划 01" in table and ">2</td>" in table and ">1</td>" in table


def _bulk(n: int):
    from filings.constants import State
    from filings.models import Filing
    from tests.filings.factories import in_state

    filing = in_state(State.EVALUATED, due_on=TODAY)
    rows = []
    for i in range(n - 1):
        fields = {f.attname: getattr(filing, f.attname) for f in Filing._meta.concrete_fields}
        fields.update(
            id=None,
            due_on=TODAY + timedelta(days=i % 9 - 4),
            state=State.FILED if i % 2 else State.EVALUATED,
            institution_sequence=f"{i % 7:02d}3{i % 1000:03d}",
            route="S" if i % 3 else "Y",
        )
        rows.append(Filing(**fields))
    Filing.objects.bulk_create(rows)


def test_a_constant_number_of_queries_with_10_or_1000_items(client, dave, django_assert_num_queries):
    from filings.models import Filing

    client.force_login(dave)
    _bulk(10)
    small = _queries(client)
    assert small <= 20
    Filing.objects.all().delete()
    _bulk(1000)
    assert Filing.objects.count() == 1000
    client.get(reverse("dashboard"))
    with django_assert_num_queries(small):
        response = client.get(reverse("dashboard"))
    assert figures(response.content.decode())["waiting-filings"][0] == 501  # the first and every other one


def test_who_sees_the_bureau_dashboard(client, alice, carol, dave, erin):
    client.force_login(dave)
    assert client.get(reverse("bureau_dashboard")).status_code == 200
    assert client.get(reverse("bureau_charts")).status_code == 200
    for user in (alice, carol, erin):
        client.force_login(user)
        assert client.get(reverse("bureau_dashboard")).status_code == 403
        assert client.get(reverse("bureau_charts")).status_code == 403
        assert 'data-testid="panel-waiting"' not in client.get(reverse("dashboard")).content.decode()
    client.logout()
    assert client.get(reverse("bureau_dashboard")).status_code == 302
