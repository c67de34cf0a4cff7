"""Verified passing candidates become issuable once their results are uploaded to the ministry centre and
published on its site (seed 001 第十六条(四)); the staff action hands them to the certificates app."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import plan_issuing
from certification import issuable, workflow
from certification.constants import State, Verification
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

pytestmark = pytest.mark.django_db


def png() -> bytes:
    """A 2-inch portrait on white: it passes certification.photo_check."""
    from tests.certificates.factories import photo_bytes

    return photo_bytes("PNG")


@pytest.fixture
def verified(alice):
    # seed 001 第十六条(四): issuing opens once the results are uploaded and published (was: verified)
    filed_institution(alice.institution, levels="345")
    plan = PlanFactory(institution=alice.institution, uploaded=True, levels=[4])
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


def _verified_plan(alice):
    filed_institution(alice.institution, levels="345")
    plan = PlanFactory(institution=alice.institution, verified=True, levels=[4])
    passing = CandidateFactory(plan=plan, verification=Verification.ACCEPTED, passed=True)
    return plan, passing


def test_seed_001_16_4_verified_results_are_not_issuable_until_uploaded_and_published(alice, carol):
    """seed 001 第十六条(四): the institution issues certificates from what the ministry centre's site
    published. Verified (第十六条(三)) is not enough: issuing is closed, and the reason names the clause and
    what is awaited; once the centre records the upload and the publication, it opens."""
    plan, passing = _verified_plan(alice)
    assert issuable.verified_passing(alice.institution) == []
    refusal = issuable.issuing_refusal(plan)
    assert "《天津市职业技能等级认定工作管理办法（试行）》第十六条(四)" in refusal
    assert "上传部鉴定中心" in refusal and "网站公布" in refusal
    assert "上传时限" in refusal  # what is awaited, by when (第十六条(三): 10 working days)
    assert "seed" not in refusal
    with pytest.raises(workflow.WorkflowError) as refused:
        plan_issuing.issue(plan, carol)
    assert str(refused.value) == refusal

    workflow.mark_uploaded(
        plan,
        carol,
        uploaded_on=datetime.date(2026, 6, 11),
        published_on=datetime.date(2026, 6, 16),
        note="部鉴定中心网站 2026 年第 6 批",
        on=datetime.date(2026, 6, 17),
    )
    plan.refresh_from_db()
    assert plan.state == State.UPLOADED
    assert (plan.uploaded_on, plan.published_on) == (datetime.date(2026, 6, 11), datetime.date(2026, 6, 16))
    assert plan.publication_recorded_by == carol and plan.publication_note == "部鉴定中心网站 2026 年第 6 批"
    assert issuable.issuing_refusal(plan) is None
    assert [r.source_key for r in issuable.verified_passing(alice.institution)] == [
        issuable.source_key(passing)
    ]


def test_seed_001_16_4_earlier_states_are_told_the_whole_way(alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, reported=True)
    refusal = issuable.issuing_refusal(plan)
    assert "第十六条(四)" in refusal and "核对无误" in refusal and "公布" in refusal


@pytest.mark.parametrize(
    "uploaded_on, published_on, message",
    [
        (datetime.date(2026, 6, 11), None, "请填写部鉴定中心网站公布认定合格信息的日期"),
        (datetime.date(2026, 6, 11), datetime.date(2026, 6, 10), "网站公布日期不能早于上传日期"),
        (datetime.date(2026, 6, 8), datetime.date(2026, 6, 12), "上传日期不能早于核对完成日期 2026-06-09"),
        (datetime.date(2026, 6, 11), datetime.date(2026, 6, 18), "晚于今天"),
    ],
)
def test_seed_001_16_4_the_upload_step_checks_its_dates(alice, carol, uploaded_on, published_on, message):
    plan, _passing = _verified_plan(alice)
    with pytest.raises(workflow.Refused) as refused:
        workflow.mark_uploaded(
            plan, carol, uploaded_on=uploaded_on, published_on=published_on, on=datetime.date(2026, 6, 17)
        )
    assert any(message in problem for problem in refused.value.problems)
    plan.refresh_from_db()
    assert plan.state == State.VERIFIED and plan.published_on is None


def test_seed_001_16_4_only_the_centre_records_the_upload(alice):
    plan, _passing = _verified_plan(alice)
    with pytest.raises(workflow.NotPermitted):
        workflow.mark_uploaded(
            plan, alice, uploaded_on=datetime.date(2026, 6, 11), published_on=datetime.date(2026, 6, 12)
        )
    plan.refresh_from_db()
    assert plan.state == State.VERIFIED
