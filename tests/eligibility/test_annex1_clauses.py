"""Every clause of seed 000 附件1 at its boundary: a profile that meets it exactly, one a day short, and
one that meets none of the level's clauses."""

from datetime import date, timedelta

import pytest

from eligibility.annex1 import Certificate, Diploma, Profile, Title, add_years, check

ON = date(2026, 11, 23)
DAY = timedelta(days=1)
A_DAY_OF_YEARS = 1 / 366  # fractional years a day short of a whole number


def ago(years, plus_days=0):
    """The date ``years`` full years before ON, moved ``plus_days`` later (later = a day short)."""
    return add_years(ON, -years) + timedelta(days=plus_days)


def cert(level, years, plus_days=0, **kw):
    return Certificate(level=level, obtained_on=ago(years, plus_days), **kw)


def title(grade, years, plus_days=0, **kw):
    return Title(grade=grade, obtained_on=ago(years, plus_days), **kw)


# (clause, level, profile meeting it exactly, profile a day (or one step) short)
CASES = [
    # 一 五级/初级工
    ("一(一)", 5, Profile(birth_date=ago(16), intends_to_work=True), Profile(birth_date=ago(16, 1), intends_to_work=True)),
    ("一(二)", 5, Profile(birth_date=ago(16), years_in_occupation=0.5), Profile(birth_date=ago(16, 1), years_in_occupation=0.5)),
    # 二 四级/中级工
    ("二(一)", 4, Profile(years_in_occupation=5), Profile(years_in_occupation=5 - A_DAY_OF_YEARS)),
    ("二(二)", 4, Profile(years_in_occupation=3, certificates=[cert(5, 3)]), Profile(years_in_occupation=3, certificates=[cert(5, 3, 1)])),
    ("二(三)", 4, Profile(diplomas=[Diploma("secondary_vocational", graduating=True)]), Profile(diplomas=[Diploma("secondary_vocational", related=False)])),
    # 三 三级/高级工
    ("三(一)", 3, Profile(years_in_occupation=10), Profile(years_in_occupation=10 - A_DAY_OF_YEARS)),
    ("三(二)", 3, Profile(years_in_occupation=4, certificates=[cert(4, 4)]), Profile(years_in_occupation=4, certificates=[cert(4, 4, 1)])),
    ("三(三)", 3, Profile(years_in_occupation=1, titles=[title("junior", 1)]), Profile(years_in_occupation=1, titles=[title("junior", 1, 1)])),
    ("三(四)", 3, Profile(diplomas=[Diploma("advanced_class", graduating=True)]), Profile(diplomas=[Diploma("technical_school")])),
    ("三(五)", 3, Profile(certificates=[cert(4, 0)], diplomas=[Diploma("higher_vocational", graduating=True)]), Profile(certificates=[cert(5, 0)], diplomas=[Diploma("higher_vocational")])),
    ("三(六)", 3, Profile(diplomas=[Diploma("assessed_higher_vocational", graduating=True)]), Profile(diplomas=[Diploma("higher_vocational")])),
    # 四 二级/技师
    ("四(一)", 2, Profile(years_in_occupation=5, certificates=[cert(3, 5)]), Profile(years_in_occupation=5, certificates=[cert(3, 5, 1)])),
    ("四(二)", 2, Profile(years_in_occupation=5, titles=[title("junior", 5)], certificates=[cert(3, 1)]), Profile(years_in_occupation=5, titles=[title("junior", 5)], certificates=[cert(3, 1, 1)])),
    ("四(三)", 2, Profile(years_in_occupation=1, titles=[title("intermediate", 1)]), Profile(years_in_occupation=1, titles=[title("intermediate", 1, 1)])),
    ("四(四)", 2, Profile(years_in_occupation=2, certificates=[cert(3, 0)], diplomas=[Diploma("technician_college")]), Profile(years_in_occupation=2 - A_DAY_OF_YEARS, certificates=[cert(3, 0)], diplomas=[Diploma("technician_college")])),
    ("四(五)", 2, Profile(certificates=[cert(3, 2)], diplomas=[Diploma("technician_class")]), Profile(certificates=[cert(3, 2, 1)], diplomas=[Diploma("technician_class")])),
    # 五 一级/高级技师
    ("五(一)", 1, Profile(years_in_occupation=5, certificates=[cert(2, 5)]), Profile(years_in_occupation=5, certificates=[cert(2, 5, 1)])),
    ("五(二)", 1, Profile(years_in_occupation=5, titles=[title("intermediate", 5)], certificates=[cert(2, 1)]), Profile(years_in_occupation=5, titles=[title("intermediate", 5, 1)], certificates=[cert(2, 1)])),
    ("五(三)", 1, Profile(years_in_occupation=1, titles=[title("senior", 1)]), Profile(years_in_occupation=1, titles=[title("senior", 1, 1)])),
]  # fmt: skip


def result_of(decision, clause):
    return next(r for r in decision.results if r.clause == clause)


@pytest.mark.parametrize(("clause", "level", "exact", "short"), CASES, ids=[c[0] for c in CASES])
def test_clause_met_exactly_at_the_boundary(clause, level, exact, short):
    decision = check(exact, level, on=ON)
    assert decision.eligible
    assert decision.clause == clause
    assert result_of(decision, clause).met
    assert decision.reasons[[r.clause for r in decision.results].index(clause)].startswith(f"{clause} 满足")


@pytest.mark.parametrize(("clause", "level", "exact", "short"), CASES, ids=[c[0] for c in CASES])
def test_clause_not_met_a_day_short(clause, level, exact, short):
    decision = check(short, level, on=ON)
    assert not result_of(decision, clause).met
    assert not decision.eligible
    assert decision.clause is None
    reason = decision.reasons[[r.clause for r in decision.results].index(clause)]
    assert reason.startswith(f"{clause} 不满足：")


@pytest.mark.parametrize(
    ("level", "clauses"),
    [
        (5, ["一(一)", "一(二)"]),
        (4, ["二(一)", "二(二)", "二(三)"]),
        (3, ["三(一)", "三(二)", "三(三)", "三(四)", "三(五)", "三(六)"]),
        (2, ["四(一)", "四(二)", "四(三)", "四(四)", "四(五)"]),
        (1, ["五(一)", "五(二)", "五(三)"]),
    ],
)
def test_profile_meeting_none_gets_one_reason_per_clause(level, clauses):
    decision = check(Profile(), level, on=ON)
    assert decision.eligible is False
    assert decision.clause is None
    assert [r.clause for r in decision.results] == clauses
    assert len(decision.reasons) == len(clauses)
    assert all("不满足" in reason for reason in decision.reasons)


def test_first_clause_met_is_reported_in_seed_order():
    profile = Profile(years_in_occupation=12, certificates=[cert(4, 6)])
    decision = check(profile, 3, on=ON)
    assert decision.clause == "三(一)"
    assert [r.met for r in decision.results][:2] == [True, True]


def test_level_2_clause_2_needs_both_parts():
    only_title = Profile(years_in_occupation=6, titles=[title("junior", 6)])
    only_cert = Profile(years_in_occupation=1, certificates=[cert(3, 1)])
    assert check(only_title, 2, on=ON).clause is None
    assert check(only_cert, 2, on=ON).clause is None


def test_level_1_clause_2_needs_both_parts():
    only_title = Profile(years_in_occupation=6, titles=[title("intermediate", 6)])
    assert check(only_title, 1, on=ON).clause is None
    assert not result_of(check(only_title, 1, on=ON), "五(二)").met


def test_level_5_needs_intent_or_work_besides_age():
    decision = check(Profile(birth_date=ago(30)), 5, on=ON)
    assert not decision.eligible
    assert "未表明拟从事" in decision.reasons[0]
    assert "未从事本职业" in decision.reasons[1]


def test_level_5_without_birth_date_says_so():
    decision = check(Profile(intends_to_work=True), 5, on=ON)
    assert not decision.eligible
    assert "未提供出生日期" in decision.reasons[0]
