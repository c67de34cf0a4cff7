"""An enterprise applies as a social training evaluation organisation (the S route) only once it holds an
employer (Y) filing in force: 《市人社局关于征集社会培训评价组织的通告》（津人社办发〔2020〕86号）二(六)2
(企业应按津人社办发〔2020〕85号……规定进行备案). Issue 38 item 2."""

import datetime

import pytest

from eligibility import institution as conditions
from filings import workflow
from filings.constants import Route, State

from .factories import FilingFactory, in_state
from .factories_after import FiledFilingFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 6, 1)


def _social_draft(institution, kind="enterprise"):
    return FilingFactory(institution=institution, route=Route.SOCIAL, kind=kind, rows=True, files=True)


def _codes(filing):
    return {c.code: c for c in workflow.institution_conditions(filing, ON)}


def test_a_y_less_enterprise_is_refused_on_the_s_route(alice):
    draft = _social_draft(alice.institution)
    condition = _codes(draft)["employer_filing"]
    assert not condition.passed and "津人社办发〔2020〕85号" in condition.reason
    assert condition.clause == "seed 003 二(六)2"
    with pytest.raises(workflow.WorkflowError, match="用人单位自主评价（Y）备案"):
        workflow.submit(draft, alice, on=ON)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_an_enterprise_with_a_y_filing_in_force_may_apply(alice):
    held = FiledFilingFactory(institution=alice.institution, route=Route.EMPLOYER)
    draft = _social_draft(alice.institution)
    condition = _codes(draft)["employer_filing"]
    assert condition.passed and held.filing_number in condition.reason
    assert workflow.employer_filing_number(draft, ON) == held.filing_number


@pytest.mark.parametrize(
    ("valid_until", "holds"),
    [(ON - datetime.timedelta(days=1), False), (ON, True), (ON + datetime.timedelta(days=1), True)],
)
def test_the_y_filing_must_be_in_force_on_the_day(alice, valid_until, holds):
    FiledFilingFactory(institution=alice.institution, route=Route.EMPLOYER, valid_until=valid_until)
    draft = _social_draft(alice.institution)
    assert bool(workflow.employer_filing_number(draft, ON)) is holds


def test_a_revoked_or_draft_y_filing_does_not_count(alice):
    in_state(State.REVOKED, institution=alice.institution, route=Route.EMPLOYER, filing_number="Y-REVOKED")
    in_state(State.DRAFT, institution=alice.institution, route=Route.EMPLOYER)
    draft = _social_draft(alice.institution)
    assert workflow.employer_filing_number(draft, ON) == ""


def test_other_kinds_and_the_y_route_have_no_such_condition(alice):
    assert "employer_filing" not in _codes(_social_draft(alice.institution, kind="industry_association"))
    y_draft = FilingFactory(institution=alice.institution, route=Route.EMPLOYER, kind="enterprise")
    assert "employer_filing" not in _codes(y_draft)
    # the pure rules read nothing when the caller does not know
    app = conditions.Application(kind=conditions.ENTERPRISE, route=conditions.ROUTE_SOCIAL, on=ON)
    assert "employer_filing" not in {c.code for c in conditions.evaluate(app)}
