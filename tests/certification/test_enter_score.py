"""One set of score rules (certification.imports.score_problems) for the candidate's page and the score
sheet: the page now refuses what the sheet refuses (a method the plan does not use)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from certification import imports
from certification.constants import Method
from portal.models import AuditEvent

from .factories import CandidateFactory, PlanFactory, scores_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def practical_only(alice):
    plan = PlanFactory(institution=alice.institution, approved=True, methods=[Method.PRACTICAL])
    return CandidateFactory(plan=plan)


def page(candidate):
    return reverse("certification:candidate", args=[candidate.plan_id, candidate.pk])


def test_the_page_refuses_a_theory_score_the_plan_has_no_exam_for(client, alice, practical_only):
    client.force_login(alice)
    response = client.post(page(practical_only), {"theory_score": "80", "practical_score": "75"})
    assert response.status_code == 200 and "本方案不含理论知识考试" in response.content.decode()
    practical_only.refresh_from_db()
    assert practical_only.theory_score is None and practical_only.practical_score is None
    response = client.post(page(practical_only), {"practical_score": "75"})
    assert response.status_code == 302
    practical_only.refresh_from_db()
    assert practical_only.practical_score == Decimal("75")
    assert AuditEvent.objects.filter(event="certification_scores_uploaded", data__candidate=practical_only.pk)


def test_the_sheet_and_the_page_say_the_same(alice, practical_only):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sheet = SimpleUploadedFile("s.xlsx", scores_xlsx([(practical_only.id_number, 80, 75)]))
    outcome = imports.import_scores(practical_only.plan, sheet, alice)
    from_sheet = [text for _line, text in outcome.errors]
    from_page = imports.enter_score(
        practical_only, alice, theory=Decimal("80"), practical=Decimal("75"), other_result="", note=""
    )
    assert from_sheet == from_page == ["本方案不含理论知识考试。"]


def test_unconfirmed_and_bridged_candidates(alice):
    plan = PlanFactory(institution=alice.institution, approved=True)
    unconfirmed = CandidateFactory(plan=plan, eligible=False)
    bridged = CandidateFactory(plan=plan, title_bridged=True)
    assert (
        "未经人工确认"
        in imports.score_problems(
            unconfirmed, plan.methods, theory=None, practical=None, other_result="", note=""
        )[0]
    )
    assert (
        "免于理论知识考试"
        in imports.score_problems(
            bridged, plan.methods, theory=Decimal(60), practical=None, other_result="", note=""
        )[0]
    )
    assert (
        imports.score_problems(
            bridged, plan.methods, theory=None, practical=Decimal(60), other_result="", note=""
        )
        == []
    )


def test_only_the_institution_while_scores_are_open(bob, alice, practical_only):
    with pytest.raises(imports.WorkflowError):
        imports.enter_score(practical_only, bob, theory=None, practical=Decimal(1), other_result="", note="")
