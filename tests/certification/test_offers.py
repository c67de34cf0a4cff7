"""Issue 29 item 6: pages offer only what applies. A revoked (or cancelled) institution is not offered
新建认定方案 (the form's own rule, certification.workflow.plan_creation_refusal); a candidate's page
shows the 综合评审 section only for 技师/高级技师 (levels 2 and 1)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from certification import workflow
from filings import after_filing
from filings.constants import State as FilingState
from filings.models import Filing
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 6, 1, 10)  # inside the factories' filing (2024-01-01 .. 2040-12-31)


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(TODAY, tick=False):
        yield


def plan_list(client, user):
    client.force_login(user)
    return client.get(reverse("certification:plans")).content.decode()


def test_a_filed_institution_is_offered_a_new_plan(client, alice):
    filed_institution(alice.institution)
    page = plan_list(client, alice)
    assert 'data-testid="new-plan"' in page and 'data-testid="new-plan-refusal"' not in page
    assert workflow.plan_creation_refusal(alice.institution) is None


def test_a_revoked_institution_is_not_offered_a_new_plan(client, alice, dave):
    filed_institution(alice.institution)
    filing = Filing.objects.get(institution=alice.institution, state=FilingState.FILED)
    after_filing.revoke(filing, dave, reason="弄虚作假")
    page = plan_list(client, alice)
    assert 'data-testid="new-plan"' not in page
    assert "已撤销" in page and "不能制定认定方案" in page
    # the form refuses with the same words
    response = client.get(reverse("certification:plan_new"), follow=True)
    assert response.redirect_chain == [(reverse("certification:plans"), 302)]
    assert "不能制定认定方案" in response.content.decode()


def test_a_cancelled_institution_is_not_offered_a_new_plan(client, alice):
    filed_institution(alice.institution, state=FilingState.CANCELLED)
    assert 'data-testid="new-plan"' not in plan_list(client, alice)
    assert "不能制定认定方案" in workflow.plan_creation_refusal(alice.institution)


def candidate_page(client, user, level):
    plan = PlanFactory(institution=filed_institution(), submitted=True, staffed=True)
    candidate = CandidateFactory(plan=plan, level=level, theory_score=80, practical_score=80)
    client.force_login(user)
    return client.get(reverse("certification:candidate", args=[plan.pk, candidate.pk])).content.decode()


@pytest.mark.parametrize("level", [3, 4, 5])
def test_no_comprehensive_review_section_below_technician(client, carol, level):
    page = candidate_page(client, carol, level)
    assert 'data-testid="review-section"' not in page
    assert "须参加综合评审" not in page and "materials-form" not in page


@pytest.mark.parametrize("level", [1, 2])
def test_technicians_have_the_comprehensive_review_section(client, carol, level):
    page = candidate_page(client, carol, level)
    assert 'data-testid="review-section"' in page and 'data-testid="materials-form"' in page
    assert "技师、高级技师考生须参加综合评审。" in page
