"""The counting rules of the engine: anniversaries, the years-since rule, unrelated evidence, higher
certificates and titles, diploma implications, missing durations, `on` and bad input."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from eligibility.annex1 import (
    Certificate,
    Diploma,
    Profile,
    Title,
    check,
    full_years,
    profile_from_id_number,
)
from tests.portal.factories import id_number

ON = date(2026, 11, 23)


class TestAnniversaries:
    def test_exactly_five_years_after_counts_as_five(self):
        assert full_years(date(2021, 3, 1), date(2026, 3, 1)) == 5
        assert full_years(date(2021, 3, 1), date(2026, 2, 28)) == 4

    def test_certificate_years_count_on_the_anniversary(self):
        profile = Profile(years_in_occupation=8, certificates=[Certificate(3, date(2021, 11, 23))])
        assert check(profile, 2, on=date(2026, 11, 23)).clause == "四(一)"
        assert check(profile, 2, on=date(2026, 11, 22)).clause is None

    def test_age_16_on_the_16th_birthday(self):
        profile = Profile(birth_date=date(2010, 11, 23), intends_to_work=True)
        assert check(profile, 5, on=date(2026, 11, 23)).eligible
        assert not check(profile, 5, on=date(2026, 11, 22)).eligible

    def test_29_february_has_its_anniversary_on_28_february_in_common_years(self):
        born = date(2008, 2, 29)
        assert full_years(born, date(2024, 2, 28)) == 15  # leap year: 29 February exists
        assert full_years(born, date(2024, 2, 29)) == 16
        assert full_years(born, date(2025, 2, 27)) == 16
        assert full_years(born, date(2025, 2, 28)) == 17


class TestYearsSince:
    def test_smaller_of_years_in_occupation_and_time_since(self):
        # held for 6 years, but only 3 years in the occupation: 3 < 4
        profile = Profile(years_in_occupation=3, certificates=[Certificate(4, date(2020, 1, 1))])
        decision = check(profile, 3, on=ON)
        assert not decision.results[1].met
        assert "3 年，未满 4 年" in decision.reasons[1]

    def test_years_worked_since_given_is_used_as_is(self):
        profile = Profile(
            years_in_occupation=20, certificates=[Certificate(4, date(2015, 1, 1), years_worked_since=3.5)]
        )
        decision = check(profile, 3, on=ON)
        assert not decision.results[1].met
        assert "还需从事本职业或相关职业工作满 6 个月" in decision.reasons[1]
        given = Profile(
            years_in_occupation=2, certificates=[Certificate(4, date(2015, 1, 1), years_worked_since=4)]
        )
        assert check(given, 3, on=ON).clause == "三(二)"

    def test_fractional_years_in_occupation(self):
        assert check(Profile(years_in_occupation=4.999), 4, on=ON).clause is None
        assert check(Profile(years_in_occupation=5.0), 4, on=ON).clause == "二(一)"


class TestMissingDurations:
    def test_missing_work_years_in_years_and_months(self):
        decision = check(Profile(years_in_occupation=8.75), 3, on=ON)
        assert "还需累计从事本职业或相关职业工作满 1 年 3 个月" in decision.reasons[0]

    def test_missing_time_since_a_certificate_with_the_date(self):
        profile = Profile(years_in_occupation=9, certificates=[Certificate(4, date(2024, 2, 23))])
        reason = check(profile, 3, on=ON).reasons[1]
        assert "还需从事本职业或相关职业工作满 1 年 3 个月（最早 2028-02-23 满足）" in reason

    def test_missing_age(self):
        decision = check(Profile(birth_date=date(2011, 1, 1), intends_to_work=True), 5, on=ON)
        assert "未满 16 周岁（2027-01-01 年满 16 周岁）" in decision.reasons[0]

    def test_translated_texts(self):
        decision = check(Profile(years_in_occupation=8.75), 3, on=ON)
        upper = decision.results[0].text(lambda s: s.replace("年", "Y"))
        assert "1 Y 3 个月" in upper


class TestUnrelatedEvidence:
    def test_unrelated_certificate_is_ignored_and_said(self):
        profile = Profile(
            years_in_occupation=6, certificates=[Certificate(4, date(2015, 1, 1), related=False)]
        )
        decision = check(profile, 3, on=ON)
        assert not decision.eligible
        assert "未取得本职业或相关职业四级/中级工" in decision.reasons[1]
        assert "1 项与本职业（专业）不相关" in decision.reasons[1]

    def test_unrelated_title_and_diploma_are_ignored(self):
        profile = Profile(
            years_in_occupation=3,
            titles=[Title("junior", date(2020, 1, 1), related=False)],
            diplomas=[Diploma("assessed_higher_vocational", related=False)],
        )
        decision = check(profile, 3, on=ON)
        assert decision.clause is None
        assert "不相关" in decision.reasons[2] and "不相关" in decision.reasons[5]

    def test_school_clauses_without_specialty_condition_count_unrelated_schools(self):
        # 四(四)/四(五) ask for a 技师学院 graduate / student, not for 本专业: the seed puts the relation on
        # the certificate only.
        graduate = Profile(
            years_in_occupation=2,
            certificates=[Certificate(3, date(2026, 1, 1))],
            diplomas=[Diploma("technician_college", related=False)],
        )
        assert check(graduate, 2, on=ON).clause == "四(四)"
        unrelated_cert = Profile(
            years_in_occupation=2,
            certificates=[Certificate(3, date(2026, 1, 1), related=False)],
            diplomas=[Diploma("technician_college")],
        )
        assert check(unrelated_cert, 2, on=ON).clause is None


class TestHigherEvidence:
    def test_higher_certificate_satisfies_a_lower_requirement(self):
        profile = Profile(years_in_occupation=4, certificates=[Certificate(2, date(2022, 1, 1))])
        decision = check(profile, 3, on=ON)
        assert decision.clause == "三(二)"
        assert "取得二级/技师证书" in decision.reasons[1]
        assert (
            check(
                Profile(years_in_occupation=3, certificates=[Certificate(1, date(2020, 1, 1))]), 4, on=ON
            ).clause
            == "二(二)"
        )

    def test_lower_certificate_does_not_satisfy_a_higher_requirement(self):
        profile = Profile(years_in_occupation=20, certificates=[Certificate(5, date(2000, 1, 1))])
        assert not check(profile, 3, on=ON).results[1].met

    def test_best_of_several_certificates(self):
        profile = Profile(
            years_in_occupation=10,
            certificates=[Certificate(3, date(2025, 1, 1)), Certificate(4, date(2015, 1, 1))],
        )
        assert check(profile, 3, on=ON).results[1].met

    def test_higher_title_satisfies_a_lower_requirement(self):
        profile = Profile(years_in_occupation=1, titles=[Title("intermediate", date(2025, 11, 23))])
        assert check(profile, 3, on=ON).clause == "三(三)"


class TestDiplomaKinds:
    @pytest.mark.parametrize(
        "kind",
        ["technical_school", "secondary_vocational", "advanced_class", "higher_vocational",
         "assessed_higher_vocational", "senior_technical_school", "technician_college"],
    )  # fmt: skip
    def test_every_school_diploma_meets_level_4_clause_3(self, kind):
        assert check(Profile(diplomas=[Diploma(kind)]), 4, on=ON).clause == "二(三)"

    def test_technician_class_student_holds_a_diploma_only_when_graduating(self):
        assert check(Profile(diplomas=[Diploma("technician_class")]), 3, on=ON).clause is None
        assert (
            check(Profile(diplomas=[Diploma("technician_class", graduating=True)]), 3, on=ON).clause
            == "三(四)"
        )

    def test_assessed_higher_vocational_is_a_higher_vocational_diploma(self):
        profile = Profile(certificates=[Certificate(4, ON)], diplomas=[Diploma("assessed_higher_vocational")])
        assert check(profile, 3, on=ON).results[4].met  # 三(五)

    def test_level_2_clause_4_wants_a_graduate_not_a_graduating_student(self):
        profile = Profile(
            years_in_occupation=3,
            certificates=[Certificate(3, date(2026, 1, 1))],
            diplomas=[Diploma("senior_technical_school", graduating=True)],
        )
        decision = check(profile, 2, on=ON)
        assert not decision.results[3].met
        assert "本项要求已毕业" in decision.reasons[3]

    def test_level_2_clause_5_needs_no_work_years(self):
        profile = Profile(
            years_in_occupation=0,
            certificates=[Certificate(3, date(2024, 11, 23))],
            diplomas=[Diploma("technician_class")],
        )
        assert check(profile, 2, on=ON).clause == "四(五)"


class TestOn:
    def test_defaults_to_today_in_shanghai(self):
        profile = Profile(birth_date=date(2010, 11, 23), intends_to_work=True)
        # 16:30 UTC on 22 November is already 23 November in Shanghai
        with time_machine.travel(datetime(2026, 11, 22, 16, 30, tzinfo=UTC), tick=False):
            assert check(profile, 5).eligible
        with time_machine.travel(datetime(2026, 11, 22, 15, 30, tzinfo=UTC), tick=False):
            assert not check(profile, 5).eligible


class TestBadInput:
    @pytest.mark.parametrize("level", [0, 6, -1, "3", 3.5, None, True])
    def test_level_outside_1_to_5(self, level):
        with pytest.raises(ValueError, match="level must be one of 1-5"):
            check(Profile(), level, on=ON)

    @pytest.mark.parametrize(
        "profile",
        [
            Profile(birth_date=date(2026, 11, 24)),
            Profile(certificates=[Certificate(4, date(2026, 11, 24))]),
            Profile(titles=[Title("junior", date(2027, 1, 1))]),
        ],
    )
    def test_date_in_the_future(self, profile):
        with pytest.raises(ValueError, match="after the date of the check"):
            check(profile, 3, on=ON)

    @pytest.mark.parametrize(
        ("profile", "message"),
        [
            (Profile(years_in_occupation=-1), "must not be negative"),
            (
                Profile(certificates=[Certificate(4, date(2020, 1, 1), years_worked_since=-0.5)]),
                "must not be negative",
            ),
            (Profile(titles=[Title("chief", date(2020, 1, 1))]), "title grade"),
            (Profile(diplomas=[Diploma("kindergarten")]), "unknown diploma kind"),
            (Profile(certificates=[Certificate(7, date(2020, 1, 1))]), "certificate level"),
            (Profile(years_in_occupation="many"), "must be a number"),
        ],
    )
    def test_invalid_values(self, profile, message):
        with pytest.raises(ValueError, match=message):
            check(profile, 3, on=ON)

    def test_on_must_be_a_date(self):
        with pytest.raises(ValueError, match="on must be a date"):
            check(Profile(), 3, on="2026-11-23")


class TestIdNumber:
    def test_birth_date_from_id_number(self):
        profile = profile_from_id_number(id_number(123, "20000501"), years_in_occupation=6)
        assert profile.birth_date == date(2000, 5, 1)
        assert profile.years_in_occupation == 6

    @pytest.mark.parametrize(
        "bad",
        [
            "",
            "12010120000501123",
            id_number(123, "20000501")[:-1] + ("0" if id_number(123, "20000501")[-1] != "0" else "1"),
            "120101200013011234",
        ],
    )
    def test_bad_id_number(self, bad):
        with pytest.raises(ValueError, match="居民身份证号码无效"):
            profile_from_id_number(bad)
