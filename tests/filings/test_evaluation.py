"""Expert evaluation: a reproducible random draw of >= 3 experts (applicant's own experts excluded),
scores and opinions, the centre's conclusion, batch ranking of social organisations."""

import pytest
from django.urls import reverse

from filings import workflow
from filings.constants import MIN_EXPERTS, Route, State
from filings.models import EvaluationBatch, ExpertReview
from portal import draws
from tests.portal.factories import UserFactory

from .factories import in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(db):
    return UserFactory.create_batch(6, role="expert")


def test_draw_is_recorded_and_reproducible(carol, pool, alice):
    own_expert = UserFactory(role="expert", institution=alice.institution)
    filing = in_state(State.UNDER_EVALUATION, institution=alice.institution)
    draw = workflow.draw_experts(filing, carol, seed="fixed-seed")
    assert len(draw.drawn) == MIN_EXPERTS
    assert own_expert.pk in draw.excluded and own_expert.pk not in draw.pool
    assert draws.draw(draw.pool, MIN_EXPERTS, draw.seed) == draw.drawn
    assert set(ExpertReview.objects.filter(filing=filing).values_list("expert_id", flat=True)) == set(
        draw.drawn
    )
    for expert_id in draw.drawn:
        assert ExpertReview.objects.get(filing=filing, expert_id=expert_id).expert.notifications.exists()


def test_fewer_than_three_refused(carol, pool):
    filing = in_state(State.UNDER_EVALUATION)
    with pytest.raises(workflow.WorkflowError, match="不得少于 3 名"):
        workflow.draw_experts(filing, carol, n=2)


def test_pool_too_small(carol):
    UserFactory.create_batch(2, role="expert")
    filing = in_state(State.UNDER_EVALUATION)
    with pytest.raises(workflow.WorkflowError, match="不足 3 名"):
        workflow.draw_experts(filing, carol)


def _score_all(filing, total=80):
    for review in filing.expert_reviews.all():
        workflow.score(
            filing, review.expert, material=total, onsite=total, qa=total, opinion="同意", recommend=True
        )


@pytest.mark.parametrize(("value", "ok"), [(-1, False), (0, True), (100, True), (101, False)])
def test_score_range(carol, pool, value, ok):
    filing = in_state(State.UNDER_EVALUATION)
    workflow.draw_experts(filing, carol)
    expert = filing.expert_reviews.first().expert
    if ok:
        workflow.score(filing, expert, material=value, onsite=value, qa=value, opinion="意见", recommend=True)
    else:
        with pytest.raises(workflow.WorkflowError):
            workflow.score(filing, expert, material=value, onsite=50, qa=50, opinion="意见", recommend=True)


def test_conclude_needs_three_scores(carol, pool):
    filing = in_state(State.UNDER_EVALUATION)
    workflow.draw_experts(filing, carol)
    first, *others = filing.expert_reviews.all()
    workflow.score(filing, first.expert, material=90, onsite=80, qa=70, opinion="同意", recommend=True)
    with pytest.raises(workflow.WorkflowError, match="不足 3 名"):
        workflow.conclude(filing, carol, recommend=True, comment="建议备案")
    for review in others:
        workflow.score(filing, review.expert, material=90, onsite=80, qa=70, opinion="同意", recommend=True)
    workflow.conclude(filing, carol, recommend=True, comment="建议备案")
    filing.refresh_from_db()
    assert filing.state == State.EVALUATED
    assert float(filing.evaluation_score) == 80.0


def test_redraw_not_allowed_after_a_score(carol, pool):
    filing = in_state(State.UNDER_EVALUATION)
    workflow.draw_experts(filing, carol)
    review = filing.expert_reviews.first()
    workflow.score(filing, review.expert, material=90, onsite=80, qa=70, opinion="同意", recommend=True)
    with pytest.raises(workflow.WorkflowError, match="不能重新抽取"):
        workflow.draw_experts(filing, carol)


def test_expert_scores_through_the_page(client, carol, pool):
    filing = in_state(State.UNDER_EVALUATION)
    workflow.draw_experts(filing, carol)
    expert = filing.expert_reviews.first().expert
    client.force_login(expert)
    assert client.get(reverse("filings:expert_home")).status_code == 200
    response = client.post(
        reverse("filings:expert_review", args=[filing.pk]),
        {"material": 88, "onsite": 90, "qa": 86, "opinion": "材料齐全，场地符合要求", "recommend": "1"},
    )
    assert response.status_code == 302
    review = ExpertReview.objects.get(filing=filing, expert=expert)
    assert (review.material_score, review.recommend, review.total) == (88, True, 88.0)
    other_expert = [
        u for u in pool if u.pk not in draws.draw(filing.draws.first().pool, 3, filing.draws.first().seed)
    ][0]
    client.force_login(other_expert)
    assert client.get(reverse("filings:expert_review", args=[filing.pk])).status_code == 404


def test_batch_ranks_social_organisations(client, carol, pool):
    filings = [
        in_state(State.UNDER_EVALUATION, route=Route.SOCIAL, kind="industry_association") for _ in range(3)
    ]
    client.force_login(carol)
    response = client.post(reverse("filings:batches"), {"name": "2026 年第一批"})
    batch = EvaluationBatch.objects.get()
    assert response.status_code == 302 and batch.filings.count() == 3
    for filing, score in zip(filings, (70, 95, 80), strict=True):
        workflow.draw_experts(filing, carol)
        _score_all(filing, score)
    page = client.get(reverse("filings:batch", args=[batch.pk]))
    ranked = [f.pk for f in page.context["filings"]]
    assert ranked == [filings[1].pk, filings[2].pk, filings[0].pk]


def test_a_batch_is_made_by_the_centre_of_the_waiting_social_organisations_only(carol, dave):
    waiting = in_state(State.UNDER_EVALUATION, route=Route.SOCIAL, kind="industry_association")
    in_state(State.UNDER_EVALUATION)  # an employer: never batched
    in_state(State.SUBMITTED, route=Route.SOCIAL, kind="industry_association")  # not yet evaluated
    with pytest.raises(workflow.NotPermitted):
        workflow.create_batch("第一批", dave)
    with pytest.raises(workflow.WorkflowError, match="请填写批次名称"):
        workflow.create_batch("  ", carol)
    assert not EvaluationBatch.objects.exists()
    batch, count = workflow.create_batch("第一批", carol)
    assert count == 1 and list(batch.filings.all()) == [waiting]
    assert workflow.create_batch("第二批", carol)[1] == 0  # a filing is in one batch only
    assert [f.pk for f in workflow.ranked(batch)] == [waiting.pk] and workflow.ranked(batch)[0].scored == 0
