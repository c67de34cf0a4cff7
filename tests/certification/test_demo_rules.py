"""Issue 29 item 14: the demo data passes the same validation as user input. The reference and demo data
are loaded as `make run` loads them, then every record goes through the validators the forms and the
workflow apply: every ID number is valid, a recorded sex agrees with the ID number, every plan meets
the staffing rule (certification.rules via workflow.staffing_refusals), and every candidate of a plan
ready to issue has a photo."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from certificates.models import Certificate, IssuanceItem
from certification import issuable, workflow
from certification.imports import sex_from_id
from certification.models import AssessmentPlan, Candidate, PlanStaff
from filings.models import FilingPerson
from portal.identifiers import validate_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def _invalid_ids(rows):
    bad = []
    for label, number in rows:
        try:
            validate_id_number(number)
        except ValidationError:
            bad.append((label, number))
    return bad


def test_every_demo_id_number_is_valid(demo):
    rows = [(f"person {p.name}", p.id_number) for p in FilingPerson.objects.all()]
    rows += [(f"plan staff {s.name}", s.id_number) for s in PlanStaff.objects.all()]
    rows += [(f"candidate {c.name}", c.id_number) for c in Candidate.objects.all()]
    rows += [(f"certificate {c.holder_name}", c.id_number) for c in Certificate.objects.all()]
    assert len(rows) > 20
    assert _invalid_ids(rows) == []


def test_every_demo_sex_agrees_with_the_id_number(demo):
    rows = [(c.name, c.sex, c.id_number) for c in Candidate.objects.all()]
    words = {"M": "男", "F": "女"}  # certificates.models.Sex
    rows += [(c.holder_name, words[c.sex], c.id_number) for c in Certificate.objects.all()]
    rows += [(i.holder_name, words[i.sex], i.id_number) for i in IssuanceItem.objects.exclude(sex="")]
    assert rows
    assert [r for r in rows if r[1] != sex_from_id(r[2])] == []
    # the issue's example: 李娜 was listed as 男
    assert set(Candidate.objects.filter(name="李娜").values_list("sex", flat=True)) == {"女"}


def test_every_demo_plan_meets_the_staffing_rule(demo):
    plans = list(AssessmentPlan.objects.select_related("occupation"))
    assert plans
    assert {p.title: workflow.staffing_refusals(p) for p in plans} == {p.title: [] for p in plans}


def test_the_demo_applicant_is_staffed_enough_to_submit_a_plan(demo):
    """Every filed demo institution has the assessors, supervisors and staff a 12-candidate plan needs."""
    from filings import institutions
    from filings.constants import State
    from filings.models import Filing

    need = {"assessor": 3, "supervisor": 1, "staff": 2}
    short = {}
    for filing in Filing.objects.filter(state=State.FILED).select_related("institution"):
        for role, n in need.items():
            have = len(institutions.filed_personnel(filing.institution, role))
            if have < n:
                short[f"{filing.name} {role}"] = have
    assert short == {}


def test_every_candidate_ready_to_issue_has_a_photo(demo):
    ready = Candidate.objects.filter(plan__state__in=issuable.ISSUABLE_STATES)
    assert ready.exists()
    assert list(ready.filter(photo="").values_list("name", flat=True)) == []
    for candidate in ready:
        assert candidate.photo.storage.exists(candidate.photo.name)


def test_every_submitted_demo_plan_passes_the_submission_checks(demo):
    """A submitted demo plan could have been submitted through the page: plan_refusals on the day it
    was submitted finds nothing (scope, methods, dates, roster, staffing)."""
    from certification.constants import State

    plans = AssessmentPlan.objects.filter(state=State.SUBMITTED)
    assert plans.exists()
    assert {p.title: workflow.plan_refusals(p, p.submitted_on) for p in plans} == {p.title: [] for p in plans}


def test_a_demo_plan_awaits_result_verification(demo):
    """Issue 29 item 14: the centre's verification page has a plan to show, its candidates scored."""
    from certification.constants import State

    plan = AssessmentPlan.objects.get(state=State.RESULTS_REPORTED)
    assert plan.candidates.exists()
    assert not plan.candidates.filter(theory_score=None).exists()
    assert not plan.candidates.filter(photo="").exists()


def test_a_demo_technician_plan_has_a_comprehensive_review(demo):
    """Issue 29 item 14: a 技师 plan whose candidate's review panel is drawn (through the workflow)."""
    from certification.models import ComprehensiveReview

    review = ComprehensiveReview.objects.select_related("candidate__plan").get()
    assert review.candidate.level == 2 and review.candidate.plan.levels == [2]
    assert review.panelists.count() >= 3
    assert review.materials_received_on is not None


def test_the_demo_plans_pages_open(demo, client):
    """The pages of every demo plan and of the reviewed technician open for the centre and the applicant."""
    from django.urls import reverse

    from certification.models import ComprehensiveReview
    from portal.models import User

    review = ComprehensiveReview.objects.select_related("candidate").get()
    for username in ("centre", "applicant"):
        client.force_login(User.objects.get(username=username))
        for plan in AssessmentPlan.objects.all():
            assert client.get(reverse("certification:plan", args=[plan.pk])).status_code == 200, plan.title
        url = reverse("certification:candidate", args=[review.candidate.plan_id, review.candidate.pk])
        assert client.get(url).status_code == 200


def test_every_demo_candidate_carries_the_annex1_decision_a_roster_gets(demo):
    """Issue 29 item 8: no "符合 演示": each demo candidate's clause and reasons are the Annex 1 engine's,
    and an eligible one's clause is shown with its words."""
    from eligibility import annex1

    candidates = list(Candidate.objects.all())
    assert candidates
    for c in candidates:
        if c.eligible and c.title_bridged:
            # seed 002 附件2 三(二): a professional on the roster by title (talent's skill application).
            assert c.clause.startswith("附件2 三(二)") and c.reasons, c
        elif c.eligible:
            assert c.clause in {row[0] for row in annex1.CLAUSES[c.level]}
            assert c.clause_text, c
        else:
            assert not c.clause and c.reasons, c


def test_seed_001_16_4_the_demo_has_a_plan_awaiting_upload_and_an_uploaded_one_issued(demo):
    """seed 001 第十六条(四): certificates are issued from what the ministry centre's site published. The
    demo shows both sides: a verified plan awaiting its upload, issuing closed and nothing issued, and an
    uploaded plan with its publication recorded whose passing candidates hold issued certificates."""
    from certification.constants import State

    waiting = AssessmentPlan.objects.get(state=State.VERIFIED)
    assert issuable.issuing_refusal(waiting)
    keys = [issuable.source_key(c) for c in waiting.candidates.all()]
    assert not Certificate.objects.filter(source_key__in=keys).exists()

    uploaded = AssessmentPlan.objects.get(state=State.UPLOADED)
    assert uploaded.uploaded_on and uploaded.published_on and uploaded.publication_recorded_by
    assert issuable.issuing_refusal(uploaded) is None
    passing = {row.source_key for row in issuable.verified_passing(uploaded.institution, uploaded)}
    assert passing
    issued = set(
        Certificate.objects.filter(source_key__in=passing, status=Certificate.Status.VALID).values_list(
            "source_key", flat=True
        )
    )
    assert issued == passing
