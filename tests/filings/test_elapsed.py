"""Issue 29 item 9: no "—" where a step is running. The notices set no limit on expert evaluation, the
bureau's approval, plan review, change review or complaints; those pages show the working days the
step has taken, so late work is visible; a count reaching into an unannounced year is provisional."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from certification.constants import State as PlanState
from filings.constants import State
from filings.constants_after import ChangeKind
from filings.models import ChangeRequest
from portal import audit, workdays
from tests.certification.factories import PlanFactory

from .factories import FilingFactory
from .factories_after import ComplaintFactory, FiledFilingFactory

pytestmark = pytest.mark.django_db  # the calendar reads staff entries

MONDAY = datetime.date(2026, 3, 9)  # 2026-03-09 is a Monday; 2026-03-13 a Friday


@pytest.fixture
def now():
    # Friday 2026-03-13, noon in Shanghai
    with time_machine.travel(datetime.datetime(2026, 3, 13, 4, tzinfo=datetime.UTC)):
        yield


@pytest.mark.parametrize(
    "on, days",
    [
        (MONDAY, 0),  # begun today: none taken yet
        (MONDAY + datetime.timedelta(days=1), 1),
        (MONDAY + datetime.timedelta(days=4), 4),  # Friday
        (MONDAY + datetime.timedelta(days=6), 4),  # the weekend adds none
        (MONDAY + datetime.timedelta(days=7), 5),  # next Monday
    ],
)
def test_working_days_taken(on, days):
    elapsed = workdays.elapsed_since(MONDAY, on)
    assert (elapsed.days, elapsed.provisional) == (days, False)
    assert str(elapsed) == f"已 {days} 个工作日"
    assert "2026-03-09" in elapsed.title


def test_a_datetime_is_read_in_shanghai():
    # 2026-03-08 17:00 UTC is Monday 01:00 in Shanghai: the step began on Monday
    began = datetime.datetime(2026, 3, 8, 17, tzinfo=datetime.UTC)
    assert workdays.elapsed_since(began, MONDAY + datetime.timedelta(days=1)).days == 1


def test_into_an_unannounced_year_the_count_is_provisional():
    elapsed = workdays.elapsed_since(datetime.date(2026, 12, 28), datetime.date(2027, 1, 5))
    assert elapsed.provisional and "暂定" in str(elapsed)
    assert elapsed.days == 6  # Tue-Thu 2026, Fri 1 Jan and Mon-Tue 4-5 Jan 2027 counted on weekends


def test_the_bureau_queue_shows_the_days_awaiting_approval(client, dave, now):
    filing = FilingFactory(state=State.EVALUATED, name="待审核单位")
    with time_machine.travel(datetime.datetime(2026, 3, 9, 2, tzinfo=datetime.UTC)):
        audit.record(
            "evaluation_concluded", filing, None, from_state="under_evaluation", to_state="evaluated"
        )
    client.force_login(dave)
    body = client.get(reverse("filings:queue", args=["evaluated"])).content.decode()
    row = body[body.index("待审核单位") :]
    assert "已 4 个工作日" in row[: row.index("</tr>")]
    detail = client.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    assert "已 4 个工作日" in detail


def test_the_change_and_complaint_queues_show_the_days_taken(client, carol, now):
    began = datetime.datetime(2026, 3, 10, 2, tzinfo=datetime.UTC)  # Tuesday
    ChangeRequest.objects.create(
        filing=FiledFilingFactory(),
        kind=ChangeKind.SITE,
        reason="搬迁",
        site_description="新址",
        requested_at=began,
    )
    ComplaintFactory(created_at=began)
    client.force_login(carol)
    for url in ("/filings/after/", reverse("filings:complaint_queue")):
        assert "已 3 个工作日" in client.get(url).content.decode(), url


def test_a_submitted_plan_shows_the_days_in_review(client, carol, now):
    plan = PlanFactory(state=PlanState.SUBMITTED, submitted_on=MONDAY)
    client.force_login(carol)
    assert "已 4 个工作日" in client.get(reverse("certification:plans")).content.decode()
    assert "已 4 个工作日" in client.get(reverse("certification:plan", args=[plan.pk])).content.decode()
