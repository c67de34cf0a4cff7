"""The institution conditions (seed 000 二, seed 003 二(六)/三, seed 004 二(一)/二(三)): boundaries
just under / at / just over every number."""

from datetime import date

import pytest

from eligibility import institution as c

ON = date(2026, 6, 1)


def row(
    code="4-03-02-01",
    *,
    levels=(3, 4, 5),
    start=date(2015, 1, 1),
    times=10_000,
    access=False,
    directory=True,
    standard_year=2018,
    skill=True,
    special=False,
):
    return c.OccupationRow(
        code=code,
        name=f"职业{code}",
        levels=frozenset(levels),
        start_date=start,
        person_times=times,
        access_type=access,
        in_social_directory=directory,
        standard_year=standard_year,
        skill_type=skill,
        special_rule=special,
    )


def result(kind, route, rows, **kwargs):
    conditions = c.evaluate(c.Application(kind=kind, route=route, occupations=tuple(rows), on=ON), **kwargs)
    return {cond.code: cond for cond in conditions}


@pytest.mark.parametrize(("times", "passed"), [(499, False), (500, True), (501, True)])
def test_enterprise_500_person_times(times, passed):
    cond = result(c.ENTERPRISE, c.ROUTE_SOCIAL, [row(times=times)])["enterprise_scale"]
    assert cond.passed is passed
    assert "seed 000 二" in cond.clause
    if not passed:
        assert "不足 500 人次" in cond.reason


def test_employer_route_has_no_scale_condition():
    assert "enterprise_scale" not in result(c.ENTERPRISE, c.ROUTE_EMPLOYER, [row(times=0)])


@pytest.mark.parametrize(
    ("start", "passed"),
    [(date(2020, 6, 2), False), (date(2020, 6, 1), True), (date(2020, 5, 31), True)],
)
def test_social_group_six_years(start, passed):
    cond = result(c.SOCIAL_GROUP, c.ROUTE_SOCIAL, [row(start=start, standard_year=2015)])["experience"]
    assert cond.passed is passed
    assert cond.clause == "seed 000 二"


@pytest.mark.parametrize(("standard_year", "waived"), [(2020, False), (2021, True)])
def test_social_group_waiver_for_standards_younger_than_six_years(standard_year, waived):
    cond = result(
        c.INDUSTRY_ASSOCIATION, c.ROUTE_SOCIAL, [row(start=date(2024, 1, 1), standard_year=standard_year)]
    )["experience"]
    assert cond.passed is waived
    if waived:
        assert "不受培训评价年限限制" in cond.reason


def test_waiver_needs_every_occupation_young():
    rows = [
        row(start=date(2024, 1, 1), standard_year=2023),
        row("4-03-02-02", start=date(2024, 1, 1), standard_year=2010),
    ]
    assert not result(c.SOCIAL_GROUP, c.ROUTE_SOCIAL, rows)["experience"].passed


def test_other_organisation_experience_is_not_waived():
    cond = result(c.OTHER, c.ROUTE_SOCIAL, [row(start=date(2024, 1, 1), standard_year=2025)])["experience"]
    assert not cond.passed
    assert cond.clause == "seed 003 二(六)3"


@pytest.mark.parametrize(("times", "passed"), [(7_999, False), (8_000, True), (8_001, True)])
def test_other_organisation_five_or_fewer_occupations_each_8000(times, passed):
    rows = [row(f"4-03-02-0{i}", times=10_000) for i in range(1, 5)] + [row("4-03-02-09", times=times)]
    assert len(rows) == 5
    assert result(c.PUBLIC_TRAINING_BASE, c.ROUTE_SOCIAL, rows)["organisation_scale"].passed is passed


def _six(each, last):
    return [row(f"4-03-02-0{i}", times=each) for i in range(1, 6)] + [row("4-03-02-09", times=last)]


@pytest.mark.parametrize(
    ("each", "last", "passed"),
    [
        (9_000, 4_999, False),  # total 49,999 and one occupation under 5,000
        (9_000, 5_000, True),  # total exactly 50,000, the last exactly 5,000
        (9_000, 5_001, True),
    ],
)
def test_other_organisation_more_than_five_occupations(each, last, passed):
    cond = result(c.VOCATIONAL_SCHOOL, c.ROUTE_SOCIAL, _six(each, last))["organisation_scale"]
    assert cond.passed is passed


@pytest.mark.parametrize(
    ("total_each", "passed"),
    [(8_333, False), (8_334, True)],  # 6 x 8,333 = 49,998 < 50,000; 6 x 8,334 = 50,004
)
def test_more_than_five_total_50000_boundary(total_each, passed):
    rows = [row(f"4-03-02-0{i}", times=total_each) for i in range(1, 7)]
    assert result(c.OTHER, c.ROUTE_SOCIAL, rows)["organisation_scale"].passed is passed


def test_more_than_five_each_5000_boundary():
    rows = [row(f"4-03-02-0{i}", times=20_000) for i in range(1, 6)]
    assert (
        result(c.OTHER, c.ROUTE_SOCIAL, [*rows, row("4-03-02-09", times=4_999)])["organisation_scale"].passed
        is False
    )
    assert (
        result(c.OTHER, c.ROUTE_SOCIAL, [*rows, row("4-03-02-09", times=5_000)])["organisation_scale"].passed
        is True
    )


@pytest.mark.parametrize(
    ("kind", "levels", "passed"),
    [
        (c.TECHNICIAN_COLLEGE, (1, 2, 3, 4, 5), True),
        (c.SENIOR_TECHNICAL_SCHOOL, (3, 4, 5), True),
        (c.SENIOR_TECHNICAL_SCHOOL, (2, 3), False),
        (c.TECHNICAL_SCHOOL, (4, 5), True),
        (c.TECHNICAL_SCHOOL, (3, 4), False),
    ],
)
def test_technical_school_level_ranges(kind, levels, passed):
    cond = result(kind, c.ROUTE_EMPLOYER, [row(levels=levels)])["school_levels"]
    assert cond.passed is passed
    assert cond.clause == "seed 004 二(三)"


def test_access_type_occupations_refused_on_both_routes():
    for route in (c.ROUTE_EMPLOYER, c.ROUTE_SOCIAL):
        cond = result(c.ENTERPRISE, route, [row(access=True)])["no_access_type"]
        assert not cond.passed
        assert "准入类" in cond.reason


def test_social_directory_only_when_the_setting_says_so():
    # seed 000 二 now decides which occupations an S institution may take; the 2020 list of seed 003 三
    # (附件1) is checked only when asked for (it was the default before issue 33).
    rows = [row(directory=False)]
    assert "social_directory" not in result(c.ENTERPRISE, c.ROUTE_SOCIAL, rows)
    assert not result(c.ENTERPRISE, c.ROUTE_SOCIAL, rows, social_directory_only=True)[
        "social_directory"
    ].passed
    assert "social_directory" not in result(c.ENTERPRISE, c.ROUTE_EMPLOYER, rows, social_directory_only=True)


@pytest.mark.parametrize(
    ("occupation", "passed"),
    [
        (
            {"directory": False, "standard_year": 2018},
            True,
        ),  # skill-type, standard known, not on the 2020 list
        ({"directory": True, "standard_year": None}, True),  # the 2020 list: a standard, year not recorded
        ({"directory": False, "standard_year": None}, False),  # no national standard known
        ({"skill": False}, False),  # not a skill-type occupation
        ({"special": True}, False),  # the ministry has a special rule
    ],
)
def test_seed_000_二_skill_type_occupations_with_a_national_standard(occupation, passed):
    cond = result(c.ENTERPRISE, c.ROUTE_SOCIAL, [row(**occupation)])["social_scope"]
    assert cond.passed is passed
    assert cond.clause == "seed 000 二"
    if not passed:
        assert "职业4-03-02-01" in cond.reason
    assert "social_scope" not in result(c.ENTERPRISE, c.ROUTE_EMPLOYER, [row(**occupation)])


def test_seed_000_二_the_waiver_applies_to_an_occupation_added_outside_the_2020_list():
    # A social group with 2 years' experience, an occupation staff added (standard of 2022, not on the
    # 2020 list): the occupation is allowed and the 6-year condition is waived, so every condition passes.
    rows = [row(directory=False, start=date(2024, 1, 1), standard_year=2022)]
    conditions = result(c.SOCIAL_GROUP, c.ROUTE_SOCIAL, rows)
    assert conditions["social_scope"].passed and conditions["experience"].passed
    assert c.all_passed(conditions.values())


def test_no_occupation_fails_and_all_passed():
    conditions = c.evaluate(c.Application(kind=c.ENTERPRISE, route=c.ROUTE_EMPLOYER, occupations=(), on=ON))
    assert not c.all_passed(conditions)
    conditions = c.evaluate(
        c.Application(kind=c.ENTERPRISE, route=c.ROUTE_EMPLOYER, occupations=(row(),), on=ON)
    )
    assert c.all_passed(conditions)
