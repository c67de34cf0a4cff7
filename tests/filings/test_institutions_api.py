"""The functions other apps call (filings.institutions): exact names and behaviour."""

import datetime

import pytest

from filings import institutions, workflow
from filings.constants import State
from filings.models import FilingOccupation
from tests.portal.factories import OccupationFactory

from .factories import in_state

pytestmark = pytest.mark.django_db

FILED_ON = datetime.date(2026, 3, 2)


@pytest.fixture
def filed(alice, carol):
    filing = in_state(State.PUBLISHED, institution=alice.institution, name="天津市海河装备制造有限公司")
    FilingOccupation.objects.create(
        filing=filing,
        occupation=OccupationFactory(code="6-18-01-01", name="车工", in_social_directory=True),
        levels="234",
    )
    workflow.record_filing(filing, carol, city_code="03", institution_type=3, on=FILED_ON)
    filing.refresh_from_db()
    return filing


def test_current_filing_inside_and_outside_validity(alice, filed):
    inst = alice.institution
    assert institutions.current_filing(inst, FILED_ON - datetime.timedelta(days=1)) is None
    assert institutions.current_filing(inst, FILED_ON) == filed
    assert institutions.current_filing(inst, datetime.date(2029, 3, 1)) == filed
    assert institutions.current_filing(inst, datetime.date(2029, 3, 2)) is None
    assert institutions.current_filing(None) is None


def test_revoked_or_cancelled_is_not_current(alice, filed, dave):
    workflow.run(filed, workflow.Step("revoke", "filing_revoked", "撤销"), dave)
    assert institutions.current_filing(alice.institution, FILED_ON) is None
    assert institutions.filed_scope(alice.institution, FILED_ON) == set()
    assert institutions.certificate_prefix(alice.institution, FILED_ON) is None


def test_filed_scope_is_occupation_level_pairs(alice, filed):
    assert institutions.filed_scope(alice.institution, FILED_ON) == {
        ("4-03-02-01", 3),
        ("4-03-02-01", 4),
        ("4-03-02-01", 5),
        ("6-18-01-01", 2),
        ("6-18-01-01", 3),
        ("6-18-01-01", 4),
    }


def test_certificate_prefix(alice, filed, settings):
    assert institutions.certificate_prefix(alice.institution, FILED_ON) == ("Y", "0000", "12", "033001")
    kind, route, province, sequence = institutions.certificate_prefix(alice.institution, FILED_ON)
    assert len(kind + route + province + sequence) == 13  # the first 13 of the 22 characters


def test_filed_name_and_personnel(alice, filed, bob):
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)):
        assert institutions.filed_name(alice.institution) == "天津市海河装备制造有限公司"
        assessors = institutions.filed_personnel(alice.institution, "assessor")
        assert [(p.name, len(p.id_number)) for p in assessors] == [("人员2", 18)]
        assert institutions.filed_name(bob.institution) is None
        assert institutions.filed_personnel(bob.institution, "expert") == []
    with pytest.raises(ValueError):
        institutions.filed_personnel(alice.institution, "boss")
