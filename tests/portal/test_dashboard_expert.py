"""An expert's dashboard (issue 37, slice 2): the filing evaluations and comprehensive reviews
assigned to the expert, due and done; another expert's never count; each figure's list shows the same
count; a constant number of queries whatever the data size."""

import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from portal import dashboards
from tests.portal.test_dashboard_centre import _queries, figures

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)  # a Monday, a working day
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def list_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    if "page" in response.context:
        return response.context["page"].paginator.count
    return len(list(response.context["reviews"]))  # filings:expert_home, not paged


def _evaluation(expert, due_on, submitted=False):
    from django.utils import timezone

    from filings.constants import State
    from filings.models import ExpertDraw, ExpertReview
    from tests.filings.factories import in_state

    filing = in_state(State.UNDER_EVALUATION, due_on=due_on)
    draw = ExpertDraw.objects.create(filing=filing, seed="s", pool=[expert.pk], drawn=[expert.pk])
    scores = {"material_score": 80, "onsite_score": 80, "qa_score": 80, "submitted_at": timezone.now()}
    return ExpertReview.objects.create(
        filing=filing, expert=expert, draw=draw, **(scores if submitted else {})
    )


def _review(expert, passed=None):
    from certification.models import ComprehensiveReview, Panelist
    from tests.certification.factories import CandidateFactory, PlanFactory

    candidate = CandidateFactory(plan=PlanFactory(submitted=True), level=2)
    review = ComprehensiveReview.objects.create(
        candidate=candidate, held_on=datetime.date(2026, 11, 10), seed=1, pool=[expert.pk], passed=passed
    )
    return Panelist.objects.create(review=review, expert=expert)


def _change_review(expert, submitted=False):
    from django.utils import timezone

    from filings.constants_after import ChangeKind, ChangeState
    from filings.models import ChangeReview
    from tests.filings.factories_after import ChangeRequestFactory

    change = ChangeRequestFactory(kind=ChangeKind.SCOPE, state=ChangeState.UNDER_EVALUATION)
    scores = {"material_score": 80, "onsite_score": 80, "qa_score": 80, "submitted_at": timezone.now()}
    return ChangeReview.objects.create(change=change, expert=expert, **(scores if submitted else {}))


def _world(expert, other):
    soon = dashboards.soon_day(TODAY)[0]
    for due in (TODAY - timedelta(days=2), TODAY, soon, TODAY + timedelta(days=30)):
        _evaluation(expert, due)
    _evaluation(expert, TODAY - timedelta(days=5), submitted=True)
    _evaluation(other, TODAY - timedelta(days=2))
    _review(expert)
    _review(expert, passed=True)
    _review(other)
    _change_review(expert)
    _change_review(expert)
    _change_review(expert, submitted=True)
    _change_review(other)


def test_the_figures_are_its_own_database_counts_and_their_lists_show_the_same(client, erin):
    from certification.models import Panelist
    from filings.models import ChangeReview, ExpertReview
    from portal import roles
    from tests.portal.factories import UserFactory

    other = UserFactory(username="other-expert", role=roles.EXPERT)
    _world(erin, other)
    client.force_login(erin)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="panel-expert-filings"' in page
    got = figures(page)
    mine = ExpertReview.objects.filter(expert=erin)
    assert got["expert-filings"][0] == mine.count() == 5
    assert got["expert-filings-pending"][0] == mine.filter(submitted_at=None).count() == 4
    assert got["expert-filings-overdue"][0] == 1
    assert got["expert-filings-today"][0] == 1
    assert got["expert-filings-soon"][0] == 2
    assert got["expert-filings-done"][0] == 1
    panels = Panelist.objects.filter(expert=erin)
    assert got["expert-reviews"][0] == panels.count() == 2
    assert got["expert-reviews-open"][0] == panels.filter(review__passed=None).count() == 1
    assert got["expert-reviews-done"][0] == 1
    changes = ChangeReview.objects.filter(expert=erin)
    assert got["expert-changes"][0] == changes.count() == 3
    assert got["expert-changes-pending"][0] == changes.filter(submitted_at=None).count() == 2
    assert got["expert-changes-done"][0] == 1
    for key, (count, url) in got.items():
        assert list_count(client, url) == count, (key, url)


def _bulk(expert, n: int):
    """``n`` filings under evaluation, each with the expert's review, made in bulk."""
    from filings.models import ExpertReview, Filing

    first = _evaluation(expert, TODAY)
    filing = first.filing
    rows = []
    for i in range(n - 1):
        fields = {f.attname: getattr(filing, f.attname) for f in Filing._meta.concrete_fields}
        fields.update(id=None, due_on=TODAY + timedelta(days=i % 9 - 4))
        rows.append(Filing(**fields))
    filings = Filing.objects.bulk_create(rows)
    ExpertReview.objects.bulk_create(
        [ExpertReview(filing_id=f.pk, expert=expert, draw_id=first.draw_id) for f in filings]
    )


def test_a_constant_number_of_queries_with_10_or_1000_items(client, erin, django_assert_num_queries):
    from filings.models import ExpertReview, Filing

    client.force_login(erin)
    _bulk(erin, 10)
    small = _queries(client)
    assert small <= 12
    ExpertReview.objects.all().delete()
    Filing.objects.all().delete()
    _bulk(erin, 1000)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(small):
        response = client.get(reverse("dashboard"))
    assert figures(response.content.decode())["expert-filings-pending"][0] == 1000


def test_who_sees_the_expert_dashboard(client, alice, carol, dave, erin):
    client.force_login(erin)
    assert client.get(reverse("expert_dashboard")).status_code == 200
    for user in (alice, carol, dave):
        client.force_login(user)
        assert client.get(reverse("expert_dashboard")).status_code == 403
        assert 'data-testid="panel-expert-filings"' not in client.get(reverse("dashboard")).content.decode()
    client.logout()
    assert client.get(reverse("expert_dashboard")).status_code == 302
