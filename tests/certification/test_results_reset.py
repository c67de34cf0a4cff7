"""Issue 31 part 2: reporting results again reopens the returned candidates in the step's own
transaction, so a refused report leaves them as they were."""

import datetime

import pytest

from certification import workflow
from certification.constants import State, Verification
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

pytestmark = pytest.mark.django_db

REPORT_ON = datetime.date(2026, 6, 9)


@pytest.fixture
def returned(alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[4])
    return CandidateFactory(plan=plan, passed=True, verification=Verification.RETURNED)


@pytest.mark.parametrize("who", ["carol", "bob"])
def test_a_refused_report_leaves_the_returned_candidates_returned(returned, who, request):
    before = returned.plan.state
    with pytest.raises(workflow.NotPermitted):
        workflow.report_results(returned.plan, request.getfixturevalue(who), on=REPORT_ON)
    returned.refresh_from_db()
    returned.plan.refresh_from_db()
    assert returned.verification == Verification.RETURNED
    assert returned.plan.state == before


def test_a_report_reopens_the_returned_candidates(returned, alice):
    workflow.report_results(returned.plan, alice, on=REPORT_ON)
    returned.refresh_from_db()
    assert returned.verification == Verification.PENDING
    assert returned.plan.state == State.RESULTS_REPORTED
