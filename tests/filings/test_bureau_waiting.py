"""Issue 29 item 3: the bureau is told when a filing (or a scope change) waits for its approval, and
its landing page counts what waits, with links to the filtered lists."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from filings import after_filing, workflow
from filings.constants import State
from filings.constants_after import ChangeKind, ChangeState
from tests.portal.factories import UserFactory

from .factories import in_state
from .factories_after import ChangeRequestFactory, FiledFilingFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 3, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def pool(db):
    return UserFactory.create_batch(3, role="expert")


def _evaluated_by_panel(filing, carol):
    workflow.draw_experts(filing, carol)
    for review in filing.expert_reviews.all():
        workflow.score(filing, review.expert, material=80, onsite=80, qa=80, opinion="同意", recommend=True)


def test_the_recommendation_notifies_every_bureau_user_with_a_link(client, carol, dave, pool, alice):
    other_bureau = UserFactory(role="bureau")
    filing = in_state(State.UNDER_EVALUATION, institution=alice.institution)
    _evaluated_by_panel(filing, carol)
    workflow.conclude(filing, carol, recommend=True, comment="建议备案")
    url = reverse("filings:detail", args=[filing.pk])
    for user in (dave, other_bureau):
        notice = user.notifications.get()
        assert filing.name in notice.text and "等待市人社局审核" in notice.text
        assert notice.url == url
    client.force_login(dave)
    page = client.get(reverse("notifications")).content.decode()
    assert "等待市人社局审核" in page and url in page
    assert "暂无通知" not in page


def test_a_refusal_by_the_centre_does_not_reach_the_bureau(carol, dave, pool):
    filing = in_state(State.UNDER_EVALUATION)
    _evaluated_by_panel(filing, carol)
    workflow.conclude(filing, carol, recommend=False, comment="不符合条件")
    assert not dave.notifications.exists()


def test_an_evaluated_scope_change_notifies_the_bureau(carol, dave, alice):
    filed = FiledFilingFactory(institution=alice.institution)
    change = ChangeRequestFactory(filing=filed, kind=ChangeKind.SCOPE, state=ChangeState.UNDER_EVALUATION)
    after_filing.conclude_change_evaluation(change, carol, opinion="同意", recommend=True, score=85)
    notice = dave.notifications.get()
    assert notice.url == reverse("filings:change_detail", args=[change.pk])


def test_the_bureau_landing_page_counts_what_waits(client, dave, alice):
    in_state(State.EVALUATED)
    in_state(State.EVALUATED)
    in_state(State.UNDER_EVALUATION)
    filed = FiledFilingFactory(institution=alice.institution)
    ChangeRequestFactory(filing=filed, kind=ChangeKind.SCOPE, state=ChangeState.EVALUATED)
    client.force_login(dave)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="fig-waiting-filings">2<' in page
    assert 'data-testid="fig-waiting-changes">1<' in page
    assert reverse("filings:queue", args=[State.EVALUATED]) in page
    assert reverse("filings:after_changes") + "?state=evaluated" in page


def test_the_centre_landing_page_has_no_bureau_counts(client, carol):
    in_state(State.EVALUATED)
    client.force_login(carol)
    assert "fig-waiting-filings" not in client.get(reverse("dashboard")).content.decode()
