"""The filing page offers each role only the actions it may take, hides internal notes from the
applicant, and every action button posts to a view that re-checks the role."""

import re

import pytest
from django.urls import reverse

from filings import workflow
from filings.constants import State
from tests.portal.factories import UserFactory

from .factories import in_state

pytestmark = pytest.mark.django_db


def _buttons(client, user, filing):
    client.force_login(user)
    html = client.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    return {
        name
        for name in ("pass", "return", "reject", "draw", "recommend", "approve", "bureau_reject", "record")
        if f'data-testid="act-{name}"' in html
    }


def test_buttons_per_role(client, alice, carol, dave):
    submitted = in_state(State.SUBMITTED, institution=alice.institution)
    assert _buttons(client, carol, submitted) == {"pass", "return", "reject"}
    assert _buttons(client, dave, submitted) == set()
    assert _buttons(client, alice, submitted) == set()
    evaluated = in_state(State.EVALUATED, institution=alice.institution)
    assert _buttons(client, dave, evaluated) == {"approve", "bureau_reject"}
    assert _buttons(client, carol, evaluated) == set()


def test_timeline_hides_internal_notes_from_the_applicant(client, alice, carol):
    UserFactory.create_batch(3, role="expert")
    filing = in_state(State.SUBMITTED, institution=alice.institution)
    workflow.start_evaluation(filing, carol, "材料齐全")
    workflow.draw_experts(filing, carol)
    client.force_login(alice)
    applicant_view = client.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    client.force_login(carol)
    staff_view = client.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    assert "初审通过，进入专家评估" in applicant_view and "材料齐全" in applicant_view
    assert "随机抽取评估专家" not in applicant_view
    assert "随机抽取评估专家" in staff_view


def test_a_forged_post_is_refused_by_the_server(client, dave):
    filing = in_state(State.SUBMITTED)
    client.force_login(dave)
    response = client.post(
        reverse("filings:act", args=[filing.pk, "record"]), {"version": filing.version}, follow=True
    )
    assert "当前状态" in response.content.decode() or "没有执行此操作的权限" in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


def test_assignment_by_the_centre_only(client, carol, dave):
    filing = in_state(State.SUBMITTED)
    client.force_login(dave)
    client.post(
        reverse("filings:act", args=[filing.pk, "assign"]), {"assignee": carol.pk, "version": filing.version}
    )
    filing.refresh_from_db()
    assert filing.assignee is None
    client.force_login(carol)
    client.post(
        reverse("filings:act", args=[filing.pk, "assign"]), {"assignee": carol.pk, "version": filing.version}
    )
    filing.refresh_from_db()
    assert filing.assignee == carol


def test_the_breadcrumb_leads_each_role_to_a_page_it_may_open(client, alice, carol):
    """Issue 29 item 11e: an expert's breadcrumb led to /filings/ (the applicants' list, a 404 for
    experts); it leads to the expert's own landing page."""
    UserFactory.create_batch(3, role="expert")
    filing = in_state(State.SUBMITTED, institution=alice.institution)
    workflow.start_evaluation(filing, carol, "材料齐全")
    workflow.draw_experts(filing, carol)
    expert = filing.expert_reviews.first().expert
    detail = reverse("filings:detail", args=[filing.pk])
    for user, crumb in (
        (expert, reverse("filings:expert_home")),
        (alice, reverse("filings:mine")),
        (carol, reverse("filings:queue", args=[filing.state])),
    ):
        client.force_login(user)
        html = client.get(detail).content.decode()
        links = re.findall(r'<li class="breadcrumb-item"><a href="([^"]+)"', html)
        assert links == [reverse("home"), crumb], user
        assert client.get(crumb).status_code == 200
