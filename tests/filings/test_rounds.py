"""The bureau's application rounds (issue 33 item 3; seed 001 第十条(一) 启动, (二) 申请: 符合申请条件的单位
根据市人社局工作安排提出备案申请). A new application is submitted inside an open round of its route (and of
its occupations, when the round lists them), unless the bureau runs continuous intake; outside, it is
refused with the reason and the next round when one is announced. A return for correction is answered
whenever the round has closed."""

import datetime

import pytest
from django.urls import reverse

from filings import rounds, workflow
from filings.constants import Route, State
from filings.models import ApplicationRound
from tests.portal.factories import OccupationFactory

from .factories import in_state

pytestmark = pytest.mark.django_db

OPENS, CLOSES = datetime.date(2026, 3, 2), datetime.date(2026, 3, 31)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def in_rounds(settings):
    settings.FILING_INTAKE = rounds.ROUNDS  # the default; the suite's conftest runs continuous intake


def _round(**kwargs):
    return ApplicationRound.objects.create(
        **{"title": "2026年第一批评价机构申报", "opens_on": OPENS, "closes_on": CLOSES, **kwargs}
    )


@pytest.mark.parametrize(
    "on, open_",
    [(OPENS - DAY, False), (OPENS, True), (CLOSES, True), (CLOSES + DAY, False)],
)
def test_seed_001_10_1_applications_inside_the_round_both_days_included(on, open_):
    _round()
    assert (rounds.intake_refusal(Route.EMPLOYER, on) is None) is open_


def test_seed_001_10_1_before_the_round_names_it():
    _round()
    refusal = rounds.intake_refusal(Route.EMPLOYER, OPENS - DAY)
    assert "2026年第一批评价机构申报" in refusal and "2026-03-02" in refusal and "2026-03-31" in refusal
    assert "天津市职业技能等级认定工作管理办法" in refusal and "第十条(一)" in refusal


def test_seed_001_10_1_no_round_announced():
    refusal = rounds.intake_refusal(Route.SOCIAL, OPENS)
    assert "尚未发布下一批申报工作安排" in refusal


def test_a_round_for_one_route_only():
    _round(routes="Y")
    assert rounds.intake_refusal(Route.EMPLOYER, OPENS) is None
    assert rounds.intake_refusal(Route.SOCIAL, OPENS) is not None


def test_a_round_for_some_occupations():
    cook = OccupationFactory(code="4-03-02-01", name="中式烹调师")
    welder = OccupationFactory(code="6-25-04-05", name="焊工")
    _round().occupations.add(cook)
    assert rounds.intake_refusal(Route.EMPLOYER, OPENS, [cook.pk]) is None
    assert "不含所申报的职业" in rounds.intake_refusal(Route.EMPLOYER, OPENS, [cook.pk, welder.pk])


def test_continuous_intake_takes_applications_any_day(settings):
    settings.FILING_INTAKE = rounds.CONTINUOUS
    assert rounds.intake_refusal(Route.SOCIAL, OPENS) is None


def test_a_draft_outside_a_round_is_not_submitted(alice):
    _round()
    filing = in_state(State.DRAFT, institution=alice.institution)
    with pytest.raises(workflow.WorkflowError, match="下一批"):
        workflow.submit(filing, alice, on=OPENS - DAY)
    filing.refresh_from_db()
    assert filing.state == State.DRAFT and filing.submitted_at is None
    workflow.submit(filing, alice, on=OPENS)
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


def test_a_returned_application_is_answered_after_the_round(alice):
    filing = in_state(State.RETURNED, institution=alice.institution)  # no round at all
    workflow.submit(filing, alice, on=CLOSES + DAY)
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


def test_the_public_page_and_the_applicants_page_name_the_round(client, alice):
    _round(opens_on=datetime.date(2000, 1, 1), closes_on=datetime.date(2099, 12, 31))
    page = client.get(reverse("filings:rounds")).content.decode()
    assert "2026年第一批评价机构申报" in page and "申报中" in page
    client.force_login(alice)
    mine = client.get(reverse("filings:mine")).content.decode()
    assert "2026年第一批评价机构申报" in mine


def test_only_the_bureau_publishes_a_round(client, alice, carol, dave):
    data = {"title": "第二批", "routes": "S", "opens_on": "2026-05-01", "closes_on": "2026-05-31"}
    for user in (alice, carol):
        client.force_login(user)
        assert client.post(reverse("filings:round_new"), data).status_code == 404
    assert not ApplicationRound.objects.exists()
    client.force_login(dave)
    assert client.post(reverse("filings:round_new"), {**data, "closes_on": "2026-04-30"}).status_code == 200
    assert not ApplicationRound.objects.exists()  # closes before it opens: the form says so
    assert client.post(reverse("filings:round_new"), data).status_code == 302
    published = ApplicationRound.objects.get()
    assert published.published_by == dave and published.routes == "S"
