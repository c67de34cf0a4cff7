"""Boundaries of every regulatory number of the assessment procedure (just under / at / just over)."""

from datetime import date
from decimal import Decimal

import pytest

from certification import constants as C
from certification import rules


@pytest.mark.parametrize(("score", "passed"), [("59.9", False), ("60", True), ("60.1", True), (None, False)])
def test_exam_pass_mark_60(score, passed):
    assert rules.exam_passed(score) is passed


@pytest.mark.parametrize("bad", ["-0.1", "100.1", "abc", "59.95"])
def test_bad_scores_refused(bad):
    assert rules.check_score(bad)


def test_good_scores_accepted():
    assert rules.check_score("0") is None
    assert rules.check_score("100") is None
    assert rules.check_score("88.5") is None


@pytest.mark.parametrize(
    ("thesis", "defence", "total", "passed"),
    [
        # 40% thesis + 60% defence, boundary 59.9 vs 60 (seed 002 综合评审工作流程 五(二))
        ("60", "59.8", Decimal("59.88"), False),
        ("59.9", "59.9", Decimal("59.90"), False),
        ("60", "60", Decimal("60.00"), True),
        ("75", "50", Decimal("60.00"), True),
        ("100", "33.3", Decimal("59.98"), False),
        ("60.1", "60.1", Decimal("60.10"), True),
    ],
)
def test_thesis_defence_weighting(thesis, defence, total, passed):
    assert rules.thesis_total(thesis, defence) == total
    assert rules.defence_passed(thesis, defence) is passed


@pytest.mark.parametrize(
    ("n", "ok"), [(3, False), (4, True), (5, True), (6, True), (7, False), (None, False)]
)
def test_four_to_six_questions(n, ok):
    assert (rules.questions_refusal(n) is None) is ok


@pytest.mark.parametrize(("score", "passed"), [("59.9", False), ("60", True), ("60.1", True)])
def test_performance_review_60(score, passed):
    assert rules.performance_passed(score) is passed


@pytest.mark.parametrize(
    ("ticks", "passed"),
    [
        ([True, True, False], True),
        ([True, False, False], False),
        ([True] * 3, True),
        ([True, True, False, False], False),
        ([], False),
    ],
)
def test_majority_of_ticks(ticks, passed):
    assert rules.majority_passes(ticks) is passed


@pytest.mark.parametrize(("size", "ok"), [(2, False), (3, True), (4, False), (5, True)])
def test_panel_at_least_three_and_odd(size, ok):
    assert (rules.panel_refusal(size) is None) is ok


def test_one_retry_within_one_year_then_refused():
    first = date(2026, 3, 1)
    assert rules.retry_refusal([], date(2026, 3, 1)) is None
    assert rules.retry_refusal([first], date(2027, 3, 1)) is None  # 365 days later: still within the year
    assert "一年内" in rules.retry_refusal([first], date(2027, 3, 2))  # one day over
    assert "第 3 次" in rules.retry_refusal([first, date(2026, 9, 1)], date(2026, 10, 1))


def test_panel_draw_is_reproducible():
    pool = list(range(1, 21))
    a = rules.draw_panel(pool, 3, seed=42)
    assert a == rules.draw_panel(list(reversed(pool)), 3, seed=42)
    assert len(set(a)) == 3
    with pytest.raises(ValueError):
        rules.draw_panel([1, 2], 3, seed=1)


@pytest.mark.parametrize(("candidates", "ok"), [(15, False), (16, True), (17, True)])
def test_on_site_appraisal_needs_more_than_15(candidates, ok):
    assert (rules.on_site_refusal(candidates) is None) is ok


class TestStaffing:
    ratios = rules.Ratios()

    def refusals(self, candidates, rooms=1, invigilators=0, assessors=0, supervisors=1, **kw):
        kw.setdefault("theory", True)
        kw.setdefault("practical", True)
        return rules.staffing_refusals(
            candidates, rooms, invigilators, assessors, supervisors, self.ratios, **kw
        )

    def test_invigilators_per_15_candidates(self):
        # 30 candidates, 1 room: 2 invigilators; 31 candidates: 3
        assert rules.staffing_need(30, 1, self.ratios, theory=True, practical=False).invigilators == 2
        assert rules.staffing_need(31, 1, self.ratios, theory=True, practical=False).invigilators == 3
        assert rules.staffing_need(15, 1, self.ratios, theory=True, practical=False).invigilators == 2

    def test_two_invigilators_per_room(self):
        assert rules.staffing_need(20, 3, self.ratios, theory=True, practical=False).invigilators == 6

    def test_assessors_per_5_at_least_3_and_odd(self):
        need = lambda n: rules.staffing_need(n, 1, self.ratios, theory=False, practical=True).assessors  # noqa: E731
        assert need(5) == 3
        assert need(15) == 3
        assert need(16) == 5  # ceil(16/5) = 4 -> odd 5
        assert need(25) == 5
        assert need(26) == 7

    def test_shortfall_names_numbers(self):
        problems = self.refusals(31, invigilators=2, assessors=7)
        assert len(problems) == 1 and "至少 3 人" in problems[0] and "现 2 人" in problems[0]
        assert self.refusals(31, invigilators=3, assessors=7) == []
        problems = self.refusals(16, invigilators=2, assessors=4)
        assert "至少 5 人" in problems[0]
        assert self.refusals(16, invigilators=2, assessors=6)  # even is refused
        assert self.refusals(16, invigilators=2, assessors=5) == []

    def test_supervisor_always_needed(self):
        problems = self.refusals(5, invigilators=2, assessors=3, supervisors=0)
        assert len(problems) == 1 and "逢评必督" in problems[0]

    def test_per_occupation_ratios(self):
        strict = rules.Ratios(candidates_per_assessor=3, min_assessors=5)
        assert rules.staffing_need(16, 1, strict, theory=False, practical=True).assessors == 7


def test_methods_per_route():
    assert rules.methods_refusal(["theory", "practical", "direct"], "Y", "enterprise") is None
    assert rules.methods_refusal(["competition"], "Y", "enterprise")
    assert rules.methods_refusal(["competition", "theory"], "S", "technician_college") is None
    assert rules.methods_refusal(["direct"], "S", "technician_college")
    assert rules.methods_refusal(["performance"], "S", "other")
    assert rules.methods_refusal([], "Y", "enterprise")


def test_title_bridged_exempt_from_theory():
    assert rules.theory_required(["theory", "practical"], title_bridged=False)
    assert not rules.theory_required(["theory", "practical"], title_bridged=True)


def test_scope():
    scope = {("4-03-02-01", 3), ("4-03-02-01", 4)}
    assert rules.scope_refusals("4-03-02-01", [3, 4], scope) == []
    assert "2 级" in rules.scope_refusals("4-03-02-01", [2, 3], scope)[0]
    assert "不在本机构备案的职业范围" in rules.scope_refusals("6-01-01-01", [3], scope)[0]
    assert "没有有效的备案" in rules.scope_refusals("4-03-02-01", [3], set())[0]


@pytest.mark.django_db
class TestClocks:
    def test_plan_five_working_days_across_national_day(self):
        # 2025: 1-8 October off, Sunday 28 September and Saturday 11 October worked.
        submitted = date(2025, 9, 26)
        first = rules.first_allowed_start(submitted)
        assert first.date == date(2025, 10, 10) and not first.provisional
        assert rules.start_refusal(submitted, date(2025, 10, 9))  # just under
        assert "2025-10-10" in rules.start_refusal(submitted, date(2025, 10, 9))
        assert rules.start_refusal(submitted, date(2025, 10, 10)) is None  # at
        assert rules.start_refusal(submitted, date(2025, 10, 11)) is None  # over

    def test_result_clocks(self):
        end = date(2025, 9, 26)
        assert rules.report_due(end).date == date(2025, 10, 10)
        # Saturday 11 October is a make-up working day
        assert rules.verify_due(date(2025, 10, 10)).date == date(2025, 10, 16)
        assert rules.upload_due(date(2025, 10, 16)).date == date(2025, 10, 30)

    def test_unknown_year_is_provisional_not_an_error(self):
        due = rules.report_due(date(2099, 1, 1))
        assert due.provisional and due.unknown_year == 2099

    def test_clock_status(self):
        due = date(2025, 10, 10)
        assert rules.clock_status(due, date(2025, 10, 11)) == "overdue"
        assert rules.clock_status(due, date(2025, 10, 10)) == "due_soon"
        assert rules.clock_status(due, date(2025, 10, 9)) == "due_soon"
        assert rules.clock_status(due, date(2025, 9, 26)) == "ok"
        assert rules.clock_status(None, date(2025, 9, 26)) == ""


def test_retention_paper_3_electronic_5():
    end = date(2026, 5, 31)
    assert rules.retention_until(end, electronic=False) == date(2029, 5, 31)
    assert rules.retention_until(end) == date(2031, 5, 31)
    assert rules.deletion_refusal(end, date(2031, 5, 30))
    assert rules.deletion_refusal(end, date(2031, 5, 31)) is None
    assert rules.deletion_refusal(end, date(2029, 5, 30), electronic=False)
    assert rules.deletion_refusal(end, date(2029, 5, 31), electronic=False) is None
    assert rules.retention_until(date(2024, 2, 29)) == date(2029, 2, 28)


def test_constants_are_the_seed_numbers():
    assert (C.PASS_MARK, C.MIN_PANEL, C.ON_SITE_MIN_EXCLUSIVE) == (60, 3, 15)
    assert (C.REPORT_WORKING_DAYS, C.VERIFY_WORKING_DAYS, C.UPLOAD_WORKING_DAYS) == (5, 5, 10)


def test_review_within_one_month_of_the_materials():
    assert rules.review_due(date(2026, 3, 15)) == date(2026, 4, 15)
    assert rules.review_due(date(2026, 1, 31)) == date(2026, 2, 28)
    assert rules.review_due(date(2028, 1, 31)) == date(2028, 2, 29)
    assert rules.review_due(date(2026, 12, 10)) == date(2027, 1, 10)
    due = rules.review_due(date(2026, 3, 15))
    assert rules.clock_status(due, date(2026, 4, 16)) == "overdue"
