"""The comprehensive review panel is drawn only from experts with the senior assessor qualification
(seed 002 综合评审工作流程 三: 评审专家组不少于3人，专家应具备高级考评员资格), never from the candidate's
institution; a pool too small for the panel refuses the draw with the numbers."""

import datetime

import pytest

from certification import workflow
from certification.models import ComprehensiveReview
from portal import roles
from tests.certification.factories import (
    CandidateFactory,
    ExpertQualificationFactory,
    PlanFactory,
    filed_institution,
    qualified_expert,
)
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

DRAW_ON = datetime.date(2026, 6, 10)


@pytest.fixture
def technician(alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[2])
    # Experts who never count: no qualification, and a qualified one from the candidate's institution.
    UserFactory(role=roles.EXPERT)
    UserFactory(role=roles.EXPERT)
    qualified_expert(institution=alice.institution)
    return CandidateFactory(plan=plan, level=2, theory_score=70, practical_score=65, materials=True)


def test_exactly_three_qualified_experts_are_enough(technician, carol):
    experts = {qualified_expert().pk for _i in range(3)}
    review = workflow.draw_review(technician, carol, on=DRAW_ON)
    assert set(review.panelists.values_list("expert_id", flat=True)) == experts
    assert sorted(review.pool) == sorted(experts)


def test_two_qualified_experts_refuse_the_draw_with_the_numbers(technician, carol):
    for _i in range(2):
        qualified_expert()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.draw_review(technician, carol, on=DRAW_ON)
    message = str(refused.value)
    assert "高级考评员资格" in message and "只有 2 人" in message and "需要 3 人" in message
    assert not ComprehensiveReview.objects.exists()


def test_qualification_counts_up_to_its_last_valid_day(technician, carol):
    for _i in range(2):
        qualified_expert()
    last_day = qualified_expert(valid_until=DRAW_ON)
    assert last_day.pk in workflow.expert_pool(technician.plan.institution_id, DRAW_ON)
    assert last_day.pk not in workflow.expert_pool(
        technician.plan.institution_id, DRAW_ON + datetime.timedelta(days=1)
    )
    with pytest.raises(workflow.WorkflowError):
        workflow.draw_review(technician, carol, on=DRAW_ON + datetime.timedelta(days=1))


def test_inactive_or_not_an_expert_is_not_drawn(technician):
    inactive = qualified_expert()
    inactive.is_active = False
    inactive.save()
    not_expert = UserFactory(role=roles.CENTRE)
    ExpertQualificationFactory(expert=not_expert)
    pool = workflow.expert_pool(technician.plan.institution_id, DRAW_ON)
    assert inactive.pk not in pool and not_expert.pk not in pool


def test_admin_lists_and_searches_qualifications(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-secret-123")
    ExpertQualificationFactory(certificate_number="GJKPY-777")
    client.force_login(admin)
    page = client.get("/admin/certification/expertqualification/?q=GJKPY-777")
    assert page.status_code == 200 and "GJKPY-777" in page.content.decode()
    assert client.get("/admin/certification/expertqualification/add/").status_code == 200
