import pytest

from certification import demo, summary, workflow
from certification.models import AssessmentPlan, ExpertQualification
from portal.demo import load_demo_accounts
from portal.models import User
from tests.certification.factories import filed_institution

pytestmark = pytest.mark.django_db


def test_demo_skips_without_filing_then_loads_once():
    load_demo_accounts()
    assert "skipped" in " ".join(demo.load())
    applicant = User.objects.get(username="applicant")
    filed_institution(applicant.institution, levels="45")
    assert "4 plans" in " ".join(demo.load())
    assert "already" in " ".join(demo.load())
    plans = AssessmentPlan.objects.filter(institution=applicant.institution)
    # seed 001 第十六条(四): one verified plan awaits its upload, another is uploaded and published
    assert sorted(plans.values_list("state", flat=True)) == [
        "results_reported",
        "submitted",
        "uploaded",
        "verified",
    ]
    uploaded = plans.get(state="uploaded")
    assert uploaded.published_on and uploaded.publication_recorded_by.username == "centre"
    # the technician plan needs level 2 filed, which filed_institution(levels="45") is not
    assert summary.build(applicant.institution).total > 0


def test_demo_experts_hold_the_senior_assessor_qualification():
    """The demo experts form a pool a panel of 3 can be drawn from (seed 002 综合评审工作流程 三)."""
    load_demo_accounts()
    demo.load()
    demo.load()  # idempotent
    assert ExpertQualification.objects.count() == 4
    experts = User.objects.filter(username__in=demo.DEMO_EXPERTS)
    assert len(workflow.expert_pool(None)) == 4
    assert set(workflow.expert_pool(None)) == set(experts.values_list("pk", flat=True))


def test_demo_monthly_summaries_show_on_time_late_and_overdue():
    """seed 004 四(四)3: last month's summaries in the demo: the applicant on its due day, one late, one
    missing (overdue)."""
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from certification import monthly
    from certification.constants import MonthlyState

    load_demo_accounts()
    applicant = User.objects.get(username="applicant")
    filed_institution(applicant.institution, levels="45")
    filed_institution()
    filed_institution()
    with time_machine.travel(
        datetime.datetime(2026, 7, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        assert "2 monthly summaries of 2026-06 (on time, late), 1 overdue" in " ".join(demo.load())
        assert "0 monthly summaries" in " ".join(demo.load())  # idempotent
        _total, rows = monthly.city(datetime.date(2026, 6, 1), datetime.date(2026, 7, 15))
    states = {row.institution.pk: row.state for row in rows}
    assert states.pop(applicant.institution.pk) == MonthlyState.SUBMITTED
    assert sorted(states.values()) == [MonthlyState.LATE, MonthlyState.OVERDUE]
