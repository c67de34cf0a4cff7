"""Score inputs show their range (issue 29 item 10): min/max/step from the score constants, and the
range visible in the empty input."""

import re

import pytest
from django.urls import reverse

from certification.forms import ReviewForm
from filings import constants as filing_constants
from filings.forms import EvaluationForm, RenewalDecisionForm, ScoreForm

from .factories import CandidateFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_the_candidate_page_score_inputs_show_0_to_100(client, alice):
    plan = PlanFactory(institution=alice.institution, approved=True)
    candidate = CandidateFactory(plan=plan)
    client.force_login(alice)
    html = client.get(reverse("certification:candidate", args=[plan.pk, candidate.pk])).content.decode()
    for name in ("theory_score", "practical_score"):
        tag = _input(html, name)
        assert 'min="0"' in tag and 'max="100"' in tag and 'step="0.1"' in tag, tag
        assert 'placeholder="0-100"' in tag, tag


def test_review_and_filing_score_inputs_show_0_to_100():
    html = ReviewForm(senior=True).as_p()
    for name in ("thesis", "defence", "performance"):
        assert 'placeholder="0-100"' in _input(html, name)
    html = ScoreForm().as_p()
    for name in ("material", "onsite", "qa"):
        tag = _input(html, name)
        assert (
            'min="0"' in tag and f'max="{filing_constants.MAX_SCORE}"' in tag and 'placeholder="0-100"' in tag
        )
    for form in (EvaluationForm(), RenewalDecisionForm()):
        tag = _input(form.as_p(), "score")
        assert (
            'min="0"' in tag and 'max="100"' in tag and 'step="0.01"' in tag and 'placeholder="0-100"' in tag
        )
