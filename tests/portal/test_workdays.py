"""The working-day calendar against the real 2025 and 2026 holiday arrangements."""

from datetime import date

import pytest

from portal import workdays
from portal.workdays import (
    CalendarYearUnknown,
    add_working_days,
    deadline_after,
    is_working_day,
    working_days_between,
)
from tests.portal.factories import CalendarDayFactory, CalendarYearFactory

pytestmark = pytest.mark.django_db


class TestIsWorkingDay:
    def test_plain_weekday_and_weekend(self):
        assert is_working_day(date(2025, 3, 12))  # Wednesday
        assert not is_working_day(date(2025, 3, 15))  # Saturday

    def test_national_day_2025(self):
        # 1-8 October off; Sunday 28 September and Saturday 11 October worked (调休).
        assert all(not is_working_day(date(2025, 10, d)) for d in range(1, 9))
        assert is_working_day(date(2025, 9, 28))
        assert is_working_day(date(2025, 10, 11))
        assert is_working_day(date(2025, 10, 9))

    def test_spring_festival_2026(self):
        # 15-23 February off; Saturdays 14 and 28 February worked.
        assert all(not is_working_day(date(2026, 2, d)) for d in range(15, 24))
        assert is_working_day(date(2026, 2, 14))
        assert is_working_day(date(2026, 2, 28))
        assert is_working_day(date(2026, 2, 24))


class TestAddWorkingDays:
    def test_issue_example_national_day_2025(self):
        assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)

    def test_start_never_counts(self):
        assert add_working_days(date(2025, 3, 10), 1) == date(2025, 3, 11)  # Monday -> Tuesday

    def test_five_working_days_over_a_weekend(self):
        # Friday 7 March 2025 + 5 -> Friday 14 March.
        assert add_working_days(date(2025, 3, 7), 5) == date(2025, 3, 14)

    def test_five_working_days_across_national_day_2025(self):
        # From 26 September: 28 (make-up Sunday), 29, 30, then 9, 10 October.
        assert add_working_days(date(2025, 9, 26), 5) == date(2025, 10, 10)

    def test_spring_festival_2026_make_up_saturday(self):
        # Friday 13 Feb 2026 + 1 -> Saturday 14 Feb (make-up day); + 2 -> 24 Feb after the holiday.
        assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
        assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)

    def test_national_day_2026(self):
        # 1-7 October off, Saturday 10 October worked: 30 Sep + 1 -> 8 Oct; + 3 -> 10 Oct (Saturday).
        assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
        assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)

    def test_n_must_be_positive(self):
        with pytest.raises(ValueError):
            add_working_days(date(2025, 3, 10), 0)


class TestWorkingDaysBetween:
    def test_half_open_interval(self):
        assert working_days_between(date(2025, 3, 10), date(2025, 3, 10)) == 0
        assert working_days_between(date(2025, 3, 10), date(2025, 3, 11)) == 1
        assert working_days_between(date(2025, 3, 7), date(2025, 3, 14)) == 5

    def test_across_holiday(self):
        assert working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1

    def test_inverse_of_add(self):
        start = date(2026, 2, 10)
        for n in range(1, 30):
            assert working_days_between(start, add_working_days(start, n)) == n


class TestUnknownYear:
    def test_unannounced_year_raises_naming_the_year(self):
        with pytest.raises(CalendarYearUnknown) as caught:
            is_working_day(date(2027, 1, 4))
        assert caught.value.year == 2027
        assert "2027" in str(caught.value)

    def test_deadline_reaching_into_unknown_year_raises(self):
        with pytest.raises(CalendarYearUnknown):
            add_working_days(date(2026, 12, 28), 5)

    def test_deadline_inside_known_year_does_not_touch_next(self):
        assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 25)

    def test_provisional_deadline_counts_weekends_and_names_the_year(self):
        deadline = deadline_after(date(2026, 12, 28), 5)
        # Tue 29, Wed 30, Thu 31 Dec 2026; then Fri 1 Jan and Mon 4 Jan 2027 on weekends alone.
        assert deadline.date == date(2027, 1, 4)
        assert deadline.provisional and deadline.unknown_year == 2027
        assert "2027" in str(deadline) and "暂定" in str(deadline)

    def test_one_entry_does_not_make_the_year_known(self):
        # Issue 21: a single entry for 1 January used to make all of 2027 "known".
        CalendarDayFactory(date=date(2027, 1, 1), is_working_day=False, note="元旦")
        deadline = deadline_after(date(2026, 12, 28), 5)
        assert deadline.provisional and deadline.unknown_year == 2027
        assert deadline.date == date(2027, 1, 5)  # provisional, but the entry is counted already
        with pytest.raises(CalendarYearUnknown):
            is_working_day(date(2027, 3, 1))
        assert not workdays.is_year_known(2027)

    def test_year_declared_complete_becomes_exact(self):
        CalendarDayFactory(date=date(2027, 1, 1), is_working_day=False, note="元旦")
        assert deadline_after(date(2026, 12, 28), 5).provisional
        CalendarYearFactory(year=2027, complete=True)
        deadline = deadline_after(date(2026, 12, 28), 5)
        assert deadline == workdays.Deadline(date(2027, 1, 5))  # 1 January is a holiday
        assert workdays.year_source(2027) == workdays.SOURCE_DECLARED

    def test_year_declared_complete_without_entries_counts_weekends(self):
        CalendarYearFactory(year=2027, complete=True)
        assert deadline_after(date(2026, 12, 28), 5) == workdays.Deadline(date(2027, 1, 4))

    def test_flag_not_complete_is_not_known(self):
        CalendarYearFactory(year=2027, complete=False)
        assert deadline_after(date(2026, 12, 28), 5).provisional

    def test_withdrawn_declaration_makes_deadlines_provisional_again(self):
        flag = CalendarYearFactory(year=2027, complete=True)
        assert not deadline_after(date(2026, 12, 28), 5).provisional
        flag.complete = False
        flag.save()
        assert deadline_after(date(2026, 12, 28), 5).provisional

    def test_deadline_spanning_a_complete_year_into_an_unknown_one(self):
        # 2027 declared complete, 2028 not: a long deadline from late 2027 names 2028, one inside
        # 2027 is exact.
        CalendarYearFactory(year=2027, complete=True)
        CalendarDayFactory(date=date(2028, 1, 3), is_working_day=False, note="元旦")
        inside = deadline_after(date(2027, 12, 20), 5)
        assert inside == workdays.Deadline(date(2027, 12, 27))
        spanning = deadline_after(date(2027, 12, 28), 5)
        # Wed 29, Thu 30, Fri 31 Dec 2027; Mon 3 Jan 2028 is off (entry); Tue 4, Wed 5 Jan.
        assert spanning.provisional and spanning.unknown_year == 2028
        assert spanning.date == date(2028, 1, 5)
        assert "2028" in str(spanning)

    def test_official_years_count_as_complete(self):
        assert workdays.year_source(2026) == workdays.SOURCE_OFFICIAL
        assert workdays.is_year_known(2026)
        assert workdays.year_source(2027) == workdays.SOURCE_INCOMPLETE

    def test_exact_deadline_is_not_provisional(self):
        deadline = deadline_after(date(2025, 9, 30), 1)
        assert deadline == workdays.Deadline(date(2025, 10, 9))
        assert str(deadline) == "2025-10-09"


class TestStaffOverride:
    def test_entry_overrides_package(self):
        assert not is_working_day(date(2025, 10, 8))
        CalendarDayFactory(date=date(2025, 10, 8), is_working_day=True, note="测试：改为工作日")
        assert is_working_day(date(2025, 10, 8))

    def test_entry_can_make_a_weekday_a_holiday(self):
        assert is_working_day(date(2025, 3, 12))
        CalendarDayFactory(date=date(2025, 3, 12), is_working_day=False)
        assert not is_working_day(date(2025, 3, 12))
        assert add_working_days(date(2025, 3, 11), 1) == date(2025, 3, 13)


class TestWarning:
    def test_banner_from_first_december_while_next_year_unknown(self):
        assert workdays.unknown_next_year_warning(date(2026, 11, 30)) is None
        assert workdays.unknown_next_year_warning(date(2026, 12, 1)) == 2027

    def test_banner_stays_with_entries_until_declared_complete(self):
        CalendarDayFactory(date=date(2027, 1, 1), is_working_day=False)
        assert workdays.unknown_next_year_warning(date(2026, 12, 1)) == 2027
        CalendarYearFactory(year=2027, complete=True)
        assert workdays.unknown_next_year_warning(date(2026, 12, 1)) is None

    def test_banner_for_the_current_year_while_unknown(self):
        assert workdays.unknown_next_year_warning(date(2027, 3, 1)) == 2027
        CalendarYearFactory(year=2027, complete=True)
        assert workdays.unknown_next_year_warning(date(2027, 3, 1)) is None


@pytest.mark.django_db
def test_an_unannounced_year_is_read_in_one_query_and_an_official_one_in_none(django_assert_num_queries):
    """Every staff page asks about this year and, from 1 December, the next (the banner)."""
    from portal.models import CalendarYear

    CalendarYear.objects.create(year=2027, complete=True)
    workdays.clear_cache()
    with django_assert_num_queries(1):
        assert workdays.is_year_known(2027)
    with django_assert_num_queries(0):
        assert workdays.is_year_known(2026)
        assert workdays.is_year_known(2027)  # kept
    workdays.clear_cache()
    with django_assert_num_queries(1):
        assert not workdays.is_year_known(2028)


@pytest.mark.django_db
def test_the_year_query_has_no_order_by_so_sqlite_runs_it_too():
    """`make run` serves on SQLite, which refuses ORDER BY inside a UNION (the December banner of every
    staff page ran this query and answered 500 there)."""
    assert "ORDER BY" not in str(workdays.year_rows(2027, official_year=False).query).upper()
    assert "ORDER BY" not in str(workdays.year_rows(2026, official_year=True).query).upper()
