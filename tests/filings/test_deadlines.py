"""Deadlines in Chinese working days across the 2025 and 2026 National Day and Spring Festival
holidays (seed 001 第十条(二)(四)(五); seed 001 over seed 003 四(一) for 初审, filings/README.md "Which notice
decides"); validity of 3 years."""

import datetime

import pytest
import time_machine

from filings import workflow
from filings.constants import Route, State
from portal.models import CalendarDay, CalendarYear

from .factories import in_state

pytestmark = pytest.mark.django_db


def _submit_on(alice, when, route=Route.EMPLOYER):
    # an S application of an association: an enterprise would first need a Y filing (seed 003 二(六)2)
    kind = "industry_association" if route == Route.SOCIAL else "enterprise"
    filing = in_state(State.DRAFT, institution=alice.institution, route=route, kind=kind)
    with time_machine.travel(datetime.datetime.combine(when, datetime.time(10)).replace(tzinfo=datetime.UTC)):
        workflow.submit(filing, alice)
    return filing


@pytest.mark.parametrize(
    ("submitted", "route", "due"),
    [
        # 2025 Spring Festival: 28 Jan - 4 Feb off, Sun 26 Jan and Sat 8 Feb worked.
        (
            datetime.date(2025, 1, 24),
            Route.EMPLOYER,
            datetime.date(2025, 2, 7),
        ),  # 26(Sun), 27 Jan, 5, 6, 7 Feb
        # S route: 5 working days too. seed 001 第十条(二) now decides (the 管理办法 over the lapsed 2020 call,
        # seed 003 四(一), which said 10: this row was 13 Feb).
        (datetime.date(2025, 1, 24), Route.SOCIAL, datetime.date(2025, 2, 7)),
        # 2025 National Day + Mid-Autumn: 1-8 Oct off, Sun 28 Sep and Sat 11 Oct worked.
        (
            datetime.date(2025, 9, 26),
            Route.EMPLOYER,
            datetime.date(2025, 10, 10),
        ),  # 28, 29, 30 Sep, 9, 10 Oct
        (
            datetime.date(2025, 9, 30),
            Route.EMPLOYER,
            datetime.date(2025, 10, 14),
        ),  # 9, 10, 11(Sat), 13, 14 Oct
        # seed 001 第十条(二) decides: 5 working days on the S route too (was 21 Oct under seed 003 四(一)).
        (datetime.date(2025, 9, 30), Route.SOCIAL, datetime.date(2025, 10, 14)),
        # 2026 Spring Festival: 15-23 Feb off, Sat 14 Feb and Sat 28 Feb worked.
        (
            datetime.date(2026, 2, 12),
            Route.EMPLOYER,
            datetime.date(2026, 2, 26),
        ),  # 13, 14(Sat), 24, 25, 26 Feb
        # seed 001 第十条(二) decides: 5 working days on the S route too (was 4 Mar under seed 003 四(一)).
        (datetime.date(2026, 2, 12), Route.SOCIAL, datetime.date(2026, 2, 26)),
        # 2026 National Day: 1-7 Oct off, Sun 20 Sep and Sat 10 Oct worked.
        (
            datetime.date(2026, 9, 30),
            Route.EMPLOYER,
            datetime.date(2026, 10, 13),
        ),  # 8, 9, 10(Sat), 12, 13 Oct
    ],
)
def test_preliminary_review_deadline(alice, submitted, route, due):
    filing = _submit_on(alice, submitted, route)
    assert filing.due_on == due
    assert filing.due_provisional is False


def test_review_days_are_a_setting_per_route(alice, settings):
    settings.FILING_PRELIMINARY_REVIEW_WORKING_DAYS = {"Y": 3, "S": 7}
    filing = _submit_on(alice, datetime.date(2026, 3, 2))
    assert filing.due_on == datetime.date(2026, 3, 5)
    social = _submit_on(alice, datetime.date(2026, 3, 2), Route.SOCIAL)
    assert social.due_on == datetime.date(2026, 3, 11)


@pytest.mark.parametrize("route", [Route.EMPLOYER, Route.SOCIAL])
def test_seed_001_第十条_二_初审_within_5_working_days_on_both_routes(alice, route):
    # Submitted Monday 2 March 2026: day 5 is Monday 9 March (weekend 7-8 off); day 6, Tuesday 10, is late.
    filing = _submit_on(alice, datetime.date(2026, 3, 2), route)
    assert filing.due_on == datetime.date(2026, 3, 9)
    assert workflow.working_days_in(datetime.date(2026, 3, 3), filing.due_on) == 5
    assert filing not in workflow.overdue_reviews(datetime.date(2026, 3, 9))  # day 5: on time
    assert filing in workflow.overdue_reviews(datetime.date(2026, 3, 10))  # day 6: late


@pytest.mark.parametrize(
    ("approved", "start", "end"),
    [
        (datetime.date(2025, 9, 30), datetime.date(2025, 10, 9), datetime.date(2025, 10, 14)),
        (datetime.date(2026, 2, 13), datetime.date(2026, 2, 14), datetime.date(2026, 2, 27)),  # Sat 14 worked
        (datetime.date(2026, 9, 29), datetime.date(2026, 9, 30), datetime.date(2026, 10, 12)),
        (
            datetime.date(2026, 3, 6),
            datetime.date(2026, 3, 9),
            datetime.date(2026, 3, 13),
        ),  # Friday -> Mon..Fri
    ],
)
def test_publicity_is_five_working_days_from_the_next_working_day(approved, start, end):
    s, e = workflow.publicity_period(approved)
    assert (s.date, e.date) == (start, end)
    assert workflow.working_days_in(s.date, e.date) == 5


@pytest.mark.parametrize(
    ("filed", "until"),
    [
        (datetime.date(2026, 11, 24), datetime.date(2029, 11, 23)),
        (datetime.date(2028, 2, 29), datetime.date(2031, 2, 28)),
        (datetime.date(2026, 1, 1), datetime.date(2028, 12, 31)),
    ],
)
def test_valid_three_years(filed, until):
    assert workflow.validity_end(filed) == until


def test_unknown_year_gives_a_provisional_deadline_until_staff_enter_it(alice):
    # The calendar package ends with 2026: a deadline reaching into 2027 is provisional (weekends only).
    filing = _submit_on(alice, datetime.date(2026, 12, 29))
    assert (filing.due_on, filing.due_provisional) == (datetime.date(2027, 1, 5), True)
    assert "暂定" in str(workflow.review_deadline(filing))
    CalendarDay.objects.create(date=datetime.date(2027, 1, 1), is_working_day=False, note="元旦")
    from portal import workdays

    workdays.clear_cache()
    # One entry is not the year's calendar (issue 21): exact only once staff declare 2027 complete.
    assert workflow.review_deadline(filing).provisional
    CalendarYear.objects.create(year=2027, complete=True)
    deadline = workflow.review_deadline(filing)
    assert (deadline.date, deadline.provisional) == (datetime.date(2027, 1, 6), False)
