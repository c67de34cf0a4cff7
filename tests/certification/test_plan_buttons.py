"""The plan page offers what the machine allows (issue 31 part 3): its buttons follow
portal.transitions.available, so a lost role or a moved state takes the button away, and the POST the
button would have sent is refused."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from certification.constants import State
from portal import roles, transitions
from tests.certification.factories import PlanFactory, filed_institution

pytestmark = pytest.mark.django_db


def page(client, plan) -> str:
    response = client.get(reverse("certification:plan", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def has(html, testid) -> bool:
    return f'data-testid="{testid}"' in html


@pytest.fixture
def submitted(alice):
    filed_institution(alice.institution)
    return PlanFactory(institution=alice.institution, staffed=True, submitted=True)


def test_the_buttons_follow_the_machine_not_the_template(client, carol, submitted, monkeypatch):
    client.force_login(carol)
    html = page(client, submitted)
    assert has(html, "approve") and has(html, "return") and has(html, "centre-checks")
    # Only the machine's answer changes here, and the page follows it.
    monkeypatch.setattr(transitions, "available", lambda obj, user: ["return_plan"])
    html = page(client, submitted)
    assert not has(html, "approve") and has(html, "return")


def test_a_reviewer_who_loses_the_centre_role_loses_the_buttons(client, carol, submitted):
    client.force_login(carol)
    assert has(page(client, submitted), "approve")
    carol.groups.remove(Group.objects.get(name=roles.CENTRE))
    carol.groups.add(Group.objects.get(name=roles.BUREAU))  # still staff: the page stays open to her
    html = page(client, submitted)
    assert not has(html, "approve") and not has(html, "return")
    response = client.post(reverse("certification:plan_approve", args=[submitted.pk]))
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_a_plan_moved_on_loses_the_buttons_and_the_post_is_refused(client, carol, alice, submitted):
    client.force_login(carol)
    AssessmentPlan = type(submitted)
    AssessmentPlan.objects.filter(pk=submitted.pk).update(state=State.APPROVED)
    html = page(client, submitted)
    assert not has(html, "approve") and not has(html, "return") and not has(html, "centre-checks")
    response = client.post(reverse("certification:plan_approve", args=[submitted.pk]), follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]  # refused, with its reason
    submitted.refresh_from_db()
    assert submitted.state == State.APPROVED
    # The institution is offered the report while the plan runs, no longer once it is reported.
    client.force_login(alice)
    assert has(page(client, submitted), "report")
    AssessmentPlan.objects.filter(pk=submitted.pk).update(state=State.RESULTS_REPORTED)
    assert not has(page(client, submitted), "report")
    client.force_login(carol)
    assert has(page(client, submitted), "verify-form")
    AssessmentPlan.objects.filter(pk=submitted.pk).update(state=State.VERIFIED)
    html = page(client, submitted)
    assert not has(html, "verify-form") and has(html, "uploaded-form")
