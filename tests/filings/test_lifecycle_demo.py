"""The after-filing demo rows load, twice without duplicates."""

import pytest

from filings import demo_after
from filings.constants import State
from filings.models import BlacklistEntry, Complaint, Filing, InspectionDraw, Renewal
from portal.demo import load_demo_accounts
from tests.portal.factories import OccupationFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_idempotently():
    load_demo_accounts()
    for n in range(4):
        OccupationFactory(code=f"6-30-0{n}-01", standard_year=2018)
    demo_after.load()
    counts = (
        Filing.objects.count(),
        Complaint.objects.count(),
        InspectionDraw.objects.count(),
        Renewal.objects.count(),
    )
    demo_after.load()
    assert counts == (
        Filing.objects.count(),
        Complaint.objects.count(),
        InspectionDraw.objects.count(),
        Renewal.objects.count(),
    )
    assert Filing.objects.filter(state=State.REVOKED).count() == 1
    assert BlacklistEntry.objects.count() == 1
    assert Renewal.objects.count() == 1
