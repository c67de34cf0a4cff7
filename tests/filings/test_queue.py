"""Staff queues: counts per state, filters, search, sort by due date, pagination, colours, and a
constant number of SQL queries whatever the number of rows."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from filings import page_cache
from filings.constants import Route, State
from filings.models import FilingOccupation
from tests.portal.factories import OccupationFactory

from .factories import FilingFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)  # Tuesday


def _row(due, **kwargs):
    return FilingFactory(
        state=State.SUBMITTED,
        due_on=due,
        submitted_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        **kwargs,
    )


@pytest.fixture
def now():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 4, tzinfo=datetime.UTC)):
        yield


def test_colours_and_sort(client, carol, now):
    overdue = _row(datetime.date(2026, 3, 9), name="超期单位")
    today = _row(datetime.date(2026, 3, 10), name="今日到期单位")
    tomorrow = _row(datetime.date(2026, 3, 11), name="明日到期单位")
    later = _row(datetime.date(2026, 3, 13), name="稍后单位")
    client.force_login(carol)
    page = client.get(reverse("filings:queue", args=["submitted"])).context["page"]
    rows = list(page)
    assert [f.pk for f in rows] == [overdue.pk, today.pk, tomorrow.pk, later.pk]
    assert [f.row_class for f in rows] == ["row-overdue", "row-due-soon", "row-due-soon", ""]


def test_filters_and_search(client, carol, now):
    cook = OccupationFactory(code="4-03-02-01", name="中式烹调师", in_social_directory=True)
    a = _row(datetime.date(2026, 3, 9), name="甲协会", kind="industry_association", route=Route.SOCIAL)
    FilingOccupation.objects.create(filing=a, occupation=cook, levels="5")
    b = _row(datetime.date(2026, 3, 20), name="乙公司")
    client.force_login(carol)
    url = reverse("filings:queue", args=["submitted"])

    def pks(**params):
        return [f.pk for f in client.get(url, params).context["page"]]

    assert pks(q="甲协") == [a.pk]
    assert pks(q=b.credit_code.lower()) == [b.pk]
    assert pks(kind="industry_association") == [a.pk]
    assert pks(route="Y") == [b.pk]
    assert pks(occupation="4-03") == [a.pk]  # a code prefix
    assert pks(occupation=" 烹调 ") == [a.pk]  # part of the name
    assert pks(occupation="焊工") == []
    assert pks(overdue="on") == [a.pk]
    type(b).objects.filter(pk=b.pk).update(assignee=carol)
    assert pks(mine="on") == [b.pk]
    # By name (乙 U+4E59 before 甲 U+7532 in the test database's C collation), not the default order by due date.
    by_due = pks(sort="due")
    assert by_due == [a.pk, b.pk]
    by_name = pks(sort="name")  # once: a second identical request is served from the page cache
    assert by_name == sorted([a.pk, b.pk], key=lambda pk: {a.pk: "甲协会", b.pk: "乙公司"}[pk])
    assert by_name != by_due


def test_counts_per_state(client, carol, now):
    for _ in range(3):
        _row(datetime.date(2026, 3, 20))
    FilingFactory(state=State.IN_PUBLICITY)
    client.force_login(carol)
    tabs = {
        value: n
        for value, _label, n in client.get(reverse("filings:queue", args=["submitted"])).context["tabs"]
    }
    assert tabs[State.SUBMITTED] == 3 and tabs[State.IN_PUBLICITY] == 1 and tabs[State.FILED] == 0


def test_constant_number_of_queries(client, carol, now, django_assert_max_num_queries):
    client.force_login(carol)
    url = reverse("filings:queue", args=["submitted"])
    _row(datetime.date(2026, 3, 20), assignee=carol)
    client.get(url)  # warm the calendar cache and the session
    page_cache.bump(page_cache.QUEUE)  # render again, not from the cache
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(30):
        _row(datetime.date(2026, 3, 20), assignee=carol)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 31
    assert len(response.context["page"]) == 25  # paginated


def test_unknown_state_is_404(client, carol):
    client.force_login(carol)
    assert client.get("/filings/queue/nonsense/").status_code == 404


def test_each_role_starts_on_its_own_queue(client, carol, dave):
    client.force_login(carol)
    assert client.get(reverse("filings:queue_home")).context["state"] == State.SUBMITTED
    client.force_login(dave)
    assert client.get(reverse("filings:queue_home")).context["state"] == State.EVALUATED


def test_occupation_is_typed_not_chosen_from_every_occupation(client, carol, now):
    OccupationFactory(code="6-25-04-05", name="焊工", in_social_directory=True)
    client.force_login(carol)
    body = client.get(reverse("filings:queue", args=["submitted"]), {"occupation": "焊"}).content.decode()
    assert '<select name="occupation"' not in body and "焊工" not in body
    assert 'name="occupation" value="焊"' in body


def test_cached_queue_follows_changes(client, carol, dave, now):
    """The content is cached (filings.page_cache) but a new filing, an assignment or a new scope shows at
    once: saves bump the queue's version."""
    url = reverse("filings:queue", args=["submitted"])
    a = _row(datetime.date(2026, 3, 20), name="甲单位")
    client.force_login(carol)
    assert "甲单位" in client.get(url).content.decode()
    assert "乙单位" not in client.get(url).content.decode()  # from the cache
    _row(datetime.date(2026, 3, 21), name="乙单位")
    assert "乙单位" in client.get(url).content.decode()
    assert "甲单位" not in client.get(url, {"mine": "on"}).content.decode()
    a.assignee = carol
    a.save()
    assert "甲单位" in client.get(url, {"mine": "on"}).content.decode()
    assert "甲单位" not in client.get(url, {"occupation": "烹调"}).content.decode()
    FilingOccupation.objects.create(
        filing=a, occupation=OccupationFactory(name="中式烹调师", in_social_directory=True), levels="5"
    )
    assert "甲单位" in client.get(url, {"occupation": "烹调"}).content.decode()
    client.force_login(dave)  # another reviewer never gets carol's page
    assert "甲单位" not in client.get(url, {"mine": "on"}).content.decode()
