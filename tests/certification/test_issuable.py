"""Verified passing candidates become issuable; the staff action hands them to the certificates app."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import plan_issuing
from certification import issuable, workflow
from certification.constants import Verification
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

pytestmark = pytest.mark.django_db


def png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 28), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def verified(alice):
    filed_institution(alice.institution, levels="345")
    plan = PlanFactory(institution=alice.institution, verified=True, levels=[4])
    passing = CandidateFactory(plan=plan, verification=Verification.ACCEPTED, passed=True)
    CandidateFactory(plan=plan, verification=Verification.ACCEPTED, theory_score=59, practical_score=80)
    return plan, passing


def test_only_verified_passing(verified, alice):
    plan, passing = verified
    rows = issuable.verified_passing(alice.institution)
    assert [r.source_key for r in rows] == [f"certification.candidate:{passing.pk}"]
    assert rows[0].level == 4 and rows[0].sex == "男"
    handed_over = plan_issuing.candidates_of(passing.plan)
    assert [c.source_key for c in handed_over] == [rows[0].source_key] and handed_over[0].verified_passing
    other = PlanFactory(institution=alice.institution, reported=True)
    CandidateFactory(plan=other, passed=True)
    assert len(issuable.verified_passing(alice.institution)) == 1


def test_photo_upload_then_issue(client, verified, alice, carol):
    plan, passing = verified
    client.force_login(alice)
    url = reverse("certification:candidate_photo", args=[plan.pk, passing.pk])
    client.post(url, {"photo": SimpleUploadedFile("p.png", png())})
    passing.refresh_from_db()
    added = passing.photo.name
    assert added  # a missing photo may be added after verification (issue 29 item 1) ...
    client.post(url, {"photo": SimpleUploadedFile("p.png", png())})
    passing.refresh_from_db()
    assert passing.photo.name == added  # ... but not replaced
    workflow_plan = PlanFactory(institution=alice.institution, approved=True)
    c = CandidateFactory(plan=workflow_plan)
    client.post(
        reverse("certification:candidate_photo", args=[workflow_plan.pk, c.pk]),
        {"photo": SimpleUploadedFile("p.png", png())},
    )
    c.refresh_from_db()
    assert c.photo.name.endswith(".png")

    batch = plan_issuing.issue(plan, carol)
    assert batch.total == 1 and batch.refused_count == 0
    assert batch.kind == "Y" and batch.institution_name == alice.institution.name


def test_issue_refused_before_verification(alice, carol):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, reported=True)
    with pytest.raises(workflow.WorkflowError):
        plan_issuing.issue(plan, carol)
