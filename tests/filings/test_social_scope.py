"""Which occupations an S institution may take (issue 33): seed 000 二 decides over the 2020 list of
seed 003 三 (附件1), and an occupation staff add with its type and standard year counts, the 6-year
waiver included."""

import datetime

import pytest

from filings import workflow
from filings.constants import Route
from filings.models import FilingOccupation
from tests.portal.factories import OccupationFactory

from .factories import FilingFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 6, 1)


def _social_group_with(occupation):
    filing = FilingFactory(route=Route.SOCIAL, kind="social_group")
    FilingOccupation.objects.create(
        filing=filing,
        occupation=occupation,
        levels="45",
        start_date=datetime.date(2024, 1, 1),  # 2 years of experience by ON
        person_times=300,
        basis="national_standard",
    )
    return {c.code: c for c in workflow.institution_conditions(filing, ON)}


def test_seed_000_二_an_occupation_added_by_staff_with_a_young_standard_is_allowed_and_waived():
    added = OccupationFactory(code="4-14-99-01", name="新职业甲", standard_year=2022)  # not on the 2020 list
    conditions = _social_group_with(added)
    assert "social_directory" not in conditions  # the 2020 list no longer decides
    assert conditions["social_scope"].passed
    assert conditions["experience"].passed and "不受培训评价年限限制" in conditions["experience"].reason


@pytest.mark.parametrize(
    ("fields", "passed"),
    [({"standard_year": None}, False), ({"special_rule": True}, False), ({"skill_type": False}, False)],
)
def test_seed_000_二_no_standard_special_rule_or_not_skill_type_is_refused(fields, passed):
    occupation = OccupationFactory(code="4-14-99-02", name="新职业乙", **{"standard_year": 2022, **fields})
    assert _social_group_with(occupation)["social_scope"].passed is passed


def test_the_2020_list_is_checked_when_the_setting_asks(settings):
    settings.FILING_SOCIAL_DIRECTORY_ONLY = True
    added = OccupationFactory(code="4-14-99-03", name="新职业丙", standard_year=2022)
    assert not _social_group_with(added)["social_directory"].passed
