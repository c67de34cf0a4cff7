"""seed 002 附件1 四(五) 综合评审 of the 技师 and 高级技师 candidates of a 鉴定, by certification's rules (the
panel of MIN_PANEL drawn from its expert pool, thesis 40 / defence 60 for 高级技师, the performance pass mark
and the majority, a retry once within a year), its result publicised and reported with the scores (四(四)),
and the centre's pages (POST-only actions, 404 for others)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from appraisals import workflow
from appraisals.constants import State
from certification import rules as certification_rules
from certification.constants import MIN_PANEL, PERFORMANCE_PASS_MARK
from portal import errors
from tests.appraisals.factories import World, arranged_with_roster, score_all, scored_candidate
from tests.certification.factories import qualified_expert

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture(autouse=True)
def _today():
    with at(D(2026, 12, 7)):
        yield


@pytest.fixture
def world():
    world = World.build()
    for _ in range(MIN_PANEL + 1):
        qualified_expert()
    return world


@pytest.fixture
def appraisal(world):
    return score_all(arranged_with_roster(world, n=1), world)


def _master(appraisal, level=2, theory=70, practical=80, n=5):
    return scored_candidate(appraisal, n=n, level=level, theory=theory, practical=practical)


def test_four_five_only_masters_who_passed_both_exams_are_reviewed(world, appraisal):
    """附件1 四(五): 技师/高级技师 who passed both exams; a 四级 candidate or a failed exam: no review."""
    worker = appraisal.candidates.get(level=4)
    failed = _master(appraisal, theory=59, n=6)
    for row in (worker, failed):
        with pytest.raises(errors.PortalError):
            workflow.draw_review(appraisal, world.centre, row)
    assert workflow.review_due(_master(appraisal, theory=60, n=7))


def test_four_five_the_panel_is_drawn_from_certifications_pool(world, appraisal):
    """附件1 四(五): MIN_PANEL experts by certification.rules.draw_panel, the same seed the same panel; the
    enterprise and other users may not draw."""
    master = _master(appraisal)
    with pytest.raises(errors.NotPermitted):
        workflow.draw_review(appraisal, world.enterprise_user, master)
    review = workflow.draw_review(appraisal, world.centre, master, seed=42)
    assert review.panel.count() == MIN_PANEL and review.attempt == 1
    assert sorted(review.panel.values_list("pk", flat=True)) == certification_rules.draw_panel(
        review.pool, MIN_PANEL, 42
    )
    with pytest.raises(errors.PortalError):  # one open review at a time
        workflow.draw_review(appraisal, world.centre, master)


def test_four_five_too_small_a_pool_refuses_the_draw(world, appraisal):
    """附件1 四(五) (综合评审工作流程 三): fewer qualified experts than MIN_PANEL refuses the draw."""
    from portal import roles
    from portal.models import User

    master = _master(appraisal)
    User.objects.filter(groups__name=roles.EXPERT).update(is_active=False)
    with pytest.raises(errors.PortalError):
        workflow.draw_review(appraisal, world.centre, master)


@pytest.mark.parametrize("performance, passed", [("59", False), ("60", True), ("61", True)])
def test_four_five_performance_passes_at_the_pass_mark(world, appraisal, performance, passed):
    """附件1 四(五) (综合评审工作流程 五(三)): 59 / 60 / 61 at certification's PERFORMANCE_PASS_MARK."""
    assert PERFORMANCE_PASS_MARK == 60
    review = workflow.draw_review(appraisal, world.centre, _master(appraisal))
    review = workflow.record_review(
        appraisal, world.centre, review, performance=performance, passes=MIN_PANEL
    )
    assert review.passed is passed


@pytest.mark.parametrize("passes, passed", [(1, False), (2, True)])
def test_four_five_the_panels_majority_decides(world, appraisal, passes, passed):
    review = workflow.draw_review(appraisal, world.centre, _master(appraisal))
    review = workflow.record_review(appraisal, world.centre, review, performance="80", passes=passes)
    assert review.passed is passed


@pytest.mark.parametrize(
    "thesis, defence, passed",
    [("60", "59.9", False), ("60", "60", True), ("90", "40", True), ("30", "73.3", False)],
)
def test_four_five_senior_thesis_40_defence_60(world, appraisal, thesis, defence, passed):
    """附件1 四(五) (综合评审工作流程 五(二)): 高级技师 total = thesis 40% + defence 60%, 60 to pass, before
    the performance review (certification.rules.thesis_total)."""
    review = workflow.draw_review(appraisal, world.centre, _master(appraisal, level=1))
    with pytest.raises(errors.Refused):  # a 高级技师 without the thesis and defence
        workflow.record_review(appraisal, world.centre, review, performance="80", passes=3)
    review = workflow.record_review(
        appraisal, world.centre, review, thesis=thesis, defence=defence, performance="80", passes=3
    )
    assert review.passed is passed and review.defence_total == certification_rules.thesis_total(
        thesis, defence
    )


def test_four_five_a_failed_review_is_retried_once_within_a_year(world, appraisal):
    """附件1 四(五) (综合评审工作流程 四): one retry, within a year of the first review; no third."""
    master = _master(appraisal)
    first = workflow.draw_review(appraisal, world.centre, master)
    workflow.record_review(appraisal, world.centre, first, performance="50", passes=3)
    with at(D(2027, 12, 8)):  # a year and a day later
        with pytest.raises(errors.PortalError):
            workflow.draw_review(appraisal, world.centre, master)
    with at(D(2027, 12, 7)):
        second = workflow.draw_review(appraisal, world.centre, master)
        assert second.attempt == 2
        workflow.record_review(appraisal, world.centre, second, performance="50", passes=3)
        with pytest.raises(errors.PortalError):
            workflow.draw_review(appraisal, world.centre, master)


def test_four_five_publicity_waits_for_the_result_and_shows_it(client, world, appraisal):
    """附件1 四(五): the result is publicised (and so reported) with the scores of 四(四)."""
    master = _master(appraisal)
    with pytest.raises(errors.Refused):
        workflow.publicise(appraisal, world.centre)
    review = workflow.draw_review(appraisal, world.centre, master)
    with pytest.raises(errors.Refused):
        workflow.publicise(appraisal, world.centre)
    workflow.record_review(appraisal, world.centre, review, performance="55", passes=3)
    appraisal = workflow.publicise(appraisal, world.centre)
    assert appraisal.state == State.PUBLICISED
    page = client.get(reverse("appraisals:publicity", args=[appraisal.pk])).content.decode()
    assert 'data-testid="publicity-review">不通过<' in page
    assert not workflow.final_passed(master)


def test_four_five_pages_post_only_and_404_for_others(client, world, appraisal):
    master = _master(appraisal)
    url = reverse("appraisals:reviews", args=[appraisal.pk])
    client.force_login(world.centre)
    assert 'data-testid="draw-review"' in client.get(url).content.decode()
    draw = reverse("appraisals:draw_review", args=[appraisal.pk, master.pk])
    assert client.get(draw)["Location"] == url  # a stray GET goes to the page
    assert client.post(draw).status_code == 302 and master.reviews.count() == 1
    review = master.reviews.get()
    record = reverse("appraisals:record_review", args=[appraisal.pk, review.pk])
    client.post(record, {"performance": "88", "passes": "3"})
    review.refresh_from_db()
    assert review.passed is True
    assert 'data-testid="review-passed"' in client.get(url).content.decode()
    detail = client.get(reverse("appraisals:detail", args=[appraisal.pk])).content.decode()
    assert url in detail and "综合评审" in detail
    client.force_login(world.enterprise_user)
    assert 'data-testid="draw-review"' not in client.get(url).content.decode()
    for user in (world.other_user, world.expert):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(draw).status_code == 404


def test_five_three_the_review_form_shows_the_review(client, world, appraisal):
    """附件1 五(三): once reviewed, the 资格评审表 shows the panel and the result (read back with pypdf)."""
    import io

    from pypdf import PdfReader

    master = _master(appraisal, level=1)
    review = workflow.draw_review(appraisal, world.centre, master)
    workflow.record_review(
        appraisal, world.centre, review, thesis="80", defence="70", performance="75", passes=3
    )
    client.force_login(world.enterprise_user)
    response = client.get(reverse("appraisals:review_form_pdf", args=[appraisal.pk, master.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace(" ", "")
    assert "高级技师" in text and "74.00" in text and "通过" in text and "75.0" in text
    client.force_login(world.centre)
    page = client.get(reverse("appraisals:reviews", args=[appraisal.pk])).content.decode()
    assert 'data-testid="review-passed"' in page and "74.00" in page
