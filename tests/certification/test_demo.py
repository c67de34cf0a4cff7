import pytest

from certification import demo, summary
from certification.models import AssessmentPlan
from portal.demo import load_demo_accounts
from portal.models import User
from tests.certification.factories import filed_institution

pytestmark = pytest.mark.django_db


def test_demo_skips_without_filing_then_loads_once():
    load_demo_accounts()
    assert "skipped" in demo.load()[0]
    applicant = User.objects.get(username="applicant")
    filed_institution(applicant.institution, levels="45")
    assert "2 plans" in demo.load()[0]
    assert "already" in demo.load()[0]
    assert AssessmentPlan.objects.filter(institution=applicant.institution).count() == 2
    assert summary.build(applicant.institution).total > 0
