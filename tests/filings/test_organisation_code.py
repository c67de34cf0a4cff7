"""A 技工院校 that has no credit code files with its 9-character organisation code:
《关于开展技工院校职业技能等级认定工作的通知》（辽人社〔2020〕32号）附件1 asks for 统一社会信用代码/组织机构代码; the code
is checked by its check character (GB 11714-1997). Every other applicant files with the 18-character credit
code. Issue 38 item 1."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from eligibility import institution as conditions
from filings import workflow
from filings.constants import Route, State
from portal import identifiers

from .factories import FilingFactory

ON = datetime.date(2026, 6, 1)
# The organisation codes inside real credit codes (characters 9 to 17): 91110000600037341L,
# 9144030071526726XG, 91330100716105852F.
REAL = ["60003734-1", "71526726-X", "716105852"]


@pytest.mark.parametrize("code", [*REAL, "10000004-0"])  # the last: 11 - 0 = 11, written "0"
def test_gb_11714_check_characters(code):
    identifiers.validate_organisation_code(code)
    identifiers.validate_institution_code(code)
    assert identifiers.is_organisation_code(code)


def test_typed_forms_are_normalised():
    assert identifiers.normalize_organisation_code(" ７１５２６７２６－ｘ ") == "71526726X"
    identifiers.validate_organisation_code(" ７１５２６７２６－ｘ ")


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("60003734-2", "org_code_checksum"),  # the check character one off
        ("71526726-0", "org_code_checksum"),  # X written as 0
        ("6000373-1", "org_code_length"),  # 8 characters: one short
        ("600037341A", "org_code_length"),  # 10: one over (as an organisation code)
        ("6000373*-1", "org_code_format"),
    ],
)
def test_a_wrong_organisation_code_is_refused_with_its_reason(code, error):
    with pytest.raises(ValidationError) as raised:
        identifiers.validate_organisation_code(code)
    assert raised.value.code == error


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("600037341", True),  # 9: an organisation code
        ("6000373410", False),  # 10: neither
        ("91110000600037341", False),  # 17: one short of a credit code
        ("91110000600037341L", True),  # 18: a credit code
        ("91110000600037341LL", False),  # 19
    ],
)
def test_either_length_and_nothing_between(code, valid):
    if valid:
        identifiers.validate_institution_code(code)
    else:
        with pytest.raises(ValidationError):
            identifiers.validate_institution_code(code)


def test_the_rule_only_a_technical_school_may_use_it():
    for kind, allowed in (
        (conditions.TECHNICIAN_COLLEGE, True),
        (conditions.SENIOR_TECHNICAL_SCHOOL, True),
        (conditions.TECHNICAL_SCHOOL, True),
        (conditions.VOCATIONAL_SCHOOL, False),
        (conditions.ENTERPRISE, False),
    ):
        app = conditions.Application(kind=kind, route=conditions.ROUTE_SOCIAL, on=ON, organisation_code=True)
        (found,) = [c for c in conditions.evaluate(app) if c.code == "organisation_code"]
        assert found.passed is allowed, kind
        assert found.clause == "seed 004 附件1"
    plain = conditions.Application(kind=conditions.ENTERPRISE, route=conditions.ROUTE_SOCIAL, on=ON)
    assert "organisation_code" not in {c.code for c in conditions.evaluate(plain)}


@pytest.mark.django_db
def test_a_school_submits_with_its_organisation_code_an_enterprise_is_told_to_use_its_credit_code(alice):
    school = FilingFactory(
        institution=alice.institution,
        route=Route.SOCIAL,
        kind=conditions.TECHNICIAN_COLLEGE,
        credit_code="600037341",
        rows=True,
        files=True,
    )
    type(school)._meta.get_field("credit_code").run_validators(school.credit_code)  # the model takes it
    assert {c.code: c.passed for c in workflow.institution_conditions(school, ON)}["organisation_code"]

    enterprise = FilingFactory(
        institution=alice.institution, route=Route.EMPLOYER, kind="enterprise", credit_code="600037341",
        rows=True, files=True,
    )  # fmt: skip
    with pytest.raises(workflow.WorkflowError, match="18 位统一社会信用代码"):
        workflow.submit(enterprise, alice, on=ON)
    enterprise.refresh_from_db()
    assert enterprise.state == State.DRAFT


@pytest.mark.django_db
def test_the_filing_form_takes_the_code_as_typed(alice):
    from filings.forms.application import FilingForm

    form = FilingForm(data={"credit_code": "６０００３７３４－１"})
    form.is_valid()
    assert "credit_code" not in form.errors
    assert form.cleaned_data["credit_code"] == "600037341"
