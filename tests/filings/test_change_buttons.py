"""The change pages offer what the machine allows (issue 31 part 3): the staff buttons follow
portal.transitions.available on the ChangeRequest, and the expert's score form shows only while the
machine can still conclude the evaluation; what is not offered is refused when posted."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from filings.constants_after import ChangeAction, ChangeKind, ChangeState
from filings.models import ChangeRequest, ChangeReview
from portal import roles, transitions
from tests.portal.factories import OccupationFactory

from .factories_after import ChangeRequestFactory

pytestmark = pytest.mark.django_db


def buttons(client, change) -> set[str]:
    """The staff buttons (act-*) of the change page as ``client`` sees it."""
    html = client.get(reverse("filings:change_detail", args=[change.pk])).content.decode()
    return set(re.findall(r'data-testid="(act-[a-z-]+)"', html))


def test_the_buttons_follow_the_machine_not_the_template(client, carol, monkeypatch):
    change = ChangeRequestFactory()
    client.force_login(carol)
    assert buttons(client, change) == {"act-approve", "act-reject"}
    monkeypatch.setattr(transitions, "available", lambda obj, user: ["reject"])
    assert buttons(client, change) == {"act-reject"}


def test_a_reviewer_who_loses_the_centre_role_loses_the_buttons(client, carol):
    change = ChangeRequestFactory()
    client.force_login(carol)
    assert "act-approve" in buttons(client, change)
    carol.groups.remove(Group.objects.get(name=roles.CENTRE))
    carol.groups.add(Group.objects.get(name=roles.BUREAU))
    assert buttons(client, change) == set()
    response = client.post(reverse("filings:change_act", args=[change.pk, "approve"]), follow=True)
    assert "您没有执行此操作的权限" in response.content.decode()
    change.refresh_from_db()
    assert change.state == ChangeState.SUBMITTED


def test_the_bureau_is_offered_its_steps_once_the_change_is_evaluated(client, carol, dave):
    change = ChangeRequestFactory(
        kind=ChangeKind.SCOPE, action=ChangeAction.ADD, occupation=OccupationFactory(), levels="3"
    )
    client.force_login(dave)
    assert buttons(client, change) == set()
    client.force_login(carol)
    assert buttons(client, change) == {"act-evaluate", "act-reject"}
    ChangeRequest.objects.filter(pk=change.pk).update(state=ChangeState.EVALUATED)
    assert buttons(client, change) == set()
    client.force_login(dave)
    assert buttons(client, change) == {"act-bureau-approve", "act-reject"}


def test_a_decided_change_offers_nothing_and_refuses_the_post(client, carol):
    change = ChangeRequestFactory()
    ChangeRequest.objects.filter(pk=change.pk).update(state=ChangeState.APPLIED)
    client.force_login(carol)
    assert buttons(client, change) == set()
    response = client.post(
        reverse("filings:change_act", args=[change.pk, "reject"]), {"comment": "迟了"}, follow=True
    )
    assert "不能执行此操作" in response.content.decode()
    change.refresh_from_db()
    assert change.state == ChangeState.APPLIED


def test_the_expert_scores_only_while_the_evaluation_is_open(client, erin):
    change = ChangeRequestFactory(
        kind=ChangeKind.SCOPE,
        action=ChangeAction.ADD,
        occupation=OccupationFactory(),
        levels="3",
        state=ChangeState.UNDER_EVALUATION,
    )
    ChangeReview.objects.create(change=change, expert=erin)
    client.force_login(erin)
    url = reverse("filings:change_review", args=[change.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="change-score-form"' in html and "change-scoring-closed" not in html
    ChangeRequest.objects.filter(pk=change.pk).update(state=ChangeState.EVALUATED)
    html = client.get(url).content.decode()
    assert 'data-testid="change-score-form"' not in html and "change-scoring-closed" in html
    scores = {"material": 80, "onsite": 80, "qa": 80, "opinion": "迟到", "recommend": "1"}
    response = client.post(url, scores)
    assert [str(m) for m in response.context["messages"]] == ["该变更申请已结束专家评估，不能再评分。"]
    assert ChangeReview.objects.get(change=change).submitted_at is None
