"""Who may use each page, the queues' query counts, uploads through the pages, the summary."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.constants import State, Verification
from tests.certification.factories import (
    CandidateFactory,
    PlanFactory,
    filed_institution,
    person_id,
    qualified_expert,
    roster_xlsx,
    scores_xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(alice):
    filed_institution(alice.institution)
    return PlanFactory(institution=alice.institution, staffed=True)


def test_anonymous_goes_to_login(client, plan):
    response = client.get(reverse("certification:plan", args=[plan.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_other_institution_gets_404(client, plan, bob, erin):
    for user in (bob, erin):
        client.force_login(user)
        assert client.get(reverse("certification:plan", args=[plan.pk])).status_code == 404
        assert client.post(reverse("certification:plan_submit", args=[plan.pk])).status_code == 404
        assert client.get(reverse("certification:plan_file", args=[plan.pk, "roster"])).status_code == 404


def test_applicant_cannot_approve(client, alice, plan):
    plan = PlanFactory(institution=alice.institution, submitted=True)
    client.force_login(alice)
    assert client.post(reverse("certification:plan_approve", args=[plan.pk])).status_code == 404
    plan.refresh_from_db()
    assert plan.state == State.SUBMITTED


def test_state_changes_need_post(client, carol, plan):
    plan = PlanFactory(submitted=True)
    client.force_login(carol)
    response = client.get(reverse("certification:plan_approve", args=[plan.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "certification:plan", args=[plan.pk]
    )
    plan.refresh_from_db()
    assert plan.state == State.SUBMITTED


def test_create_upload_submit_approve(client, alice, carol):
    filed_institution(alice.institution)
    client.force_login(alice)
    occupation_id = __import__("tests.certification.factories", fromlist=["occupation"]).occupation().pk
    with time_machine.travel(datetime.datetime(2026, 5, 20, 10), tick=False):
        data = {
            "title": "2026年6月中式烹调师认定",
            "occupation": occupation_id,
            "levels": ["4"],
            "methods": ["theory", "practical"],
            "site": "考点",
            "rooms": 1,
            "start_date": "2026-05-26",
            "end_date": "2026-05-27",
        }
        response = client.post(reverse("certification:plan_new"), data)
        assert response.status_code == 302
        plan = alice.institution.assessment_plans.get()
        url = reverse("certification:plan", args=[plan.pk])
        rows = [(f"考生{i}", person_id(2000 + i), 4, 6) for i in range(3)]
        client.post(
            reverse("certification:roster_upload", args=[plan.pk]),
            {"file": SimpleUploadedFile("r.xlsx", roster_xlsx(rows))},
        )
        for role, id_number in (
            ("invigilator", person_id(200)),
            ("invigilator", person_id(201)),
            ("supervisor", person_id(300)),
        ):
            client.post(
                reverse("certification:staff_add", args=[plan.pk]), {"role": role, "person": id_number}
            )
        for i in range(3):
            client.post(
                reverse("certification:staff_add", args=[plan.pk]),
                {"role": "assessor", "person": person_id(100 + i)},
            )
        page = client.get(url).content.decode()
        assert "最早开始日期为 2026-05-27" in page  # 26 May is one working day too early
        client.post(
            reverse("certification:plan_edit", args=[plan.pk]),
            {**data, "start_date": "2026-05-27", "end_date": "2026-05-28"},
        )
        response = client.post(reverse("certification:plan_submit", args=[plan.pk]), follow=True)
        plan.refresh_from_db()
        assert plan.state == State.SUBMITTED, response.content.decode()[:2000]
        client.force_login(carol)
        client.post(reverse("certification:plan_approve", args=[plan.pk]))
        plan.refresh_from_db()
        assert plan.state == State.APPROVED


def test_form_refuses_levels_outside_scope(client, alice):
    filed_institution(alice.institution, levels="45")
    client.force_login(alice)
    from tests.certification.factories import occupation

    response = client.post(
        reverse("certification:plan_new"),
        {
            "title": "x",
            "occupation": occupation().pk,
            "levels": ["3"],
            "methods": ["theory"],
            "site": "x",
            "rooms": 1,
            "start_date": "2026-06-01",
            "end_date": "2026-06-01",
        },
    )
    assert response.status_code == 200
    assert "3 级不在本机构备案的等级范围内" in response.content.decode()


def test_unfiled_institution_cannot_create(client, bob):
    client.force_login(bob)
    response = client.get(reverse("certification:plan_new"))
    assert response.status_code == 302


def test_roster_row_errors_page(client, alice, plan):
    client.force_login(alice)
    rows = [("张三", person_id(1), 4, 6), ("李四", "120101198001010000", 4, 6)]
    response = client.post(
        reverse("certification:roster_upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("r.xlsx", roster_xlsx(rows))},
    )
    # post/redirect/get (issue 29 item 5): the errors are listed on the plan page, once; a reload of
    # that page never posts the file again
    plan_page = reverse("certification:plan", args=[plan.pk])
    assert response.status_code == 302 and response["Location"] == plan_page + "#upload-errors"
    page = client.get(plan_page).content.decode()
    assert 'data-testid="upload-errors"' in page and "身份证号码无效" in page
    assert "考生名册有 1 处错误，未作任何修改" in page
    assert "身份证号码无效" not in client.get(plan_page).content.decode()
    assert plan.candidates.count() == 0


def test_scores_upload_and_verify_with_return(client, alice, carol):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True)
    a = CandidateFactory(plan=plan, id_number=person_id(1))
    b = CandidateFactory(plan=plan, id_number=person_id(2))
    client.force_login(alice)
    data = scores_xlsx([(person_id(1), 88, 90), (person_id(2), 60, 60)])
    response = client.post(
        reverse("certification:scores_upload", args=[plan.pk]), {"file": SimpleUploadedFile("s.xlsx", data)}
    )
    assert response.status_code == 302
    client.post(reverse("certification:plan_report", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.state == State.RESULTS_REPORTED
    client.force_login(carol)
    client.post(
        reverse("certification:plan_verify", args=[plan.pk]),
        {f"return_{b.pk}": "on", f"reason_{b.pk}": "照片不符"},
    )
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.verification == Verification.RETURNED and b.verification_reason == "照片不符"
    assert a.verification == Verification.PENDING


def test_queue_constant_queries(client, carol, django_assert_max_num_queries):
    institution = filed_institution()
    for _i in range(3):
        PlanFactory(institution=institution, submitted=True)
        PlanFactory(institution=institution, approved=True)
    client.force_login(carol)
    url = reverse("certification:plans")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _i in range(20):
        PlanFactory(institution=institution, approved=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_queue_filters_overdue(client, carol):
    institution = filed_institution()
    late = PlanFactory(
        institution=institution, approved=True, title="迟报方案", end_date=datetime.date(2026, 6, 3)
    )
    PlanFactory(
        institution=institution, approved=True, title="未到期方案", end_date=datetime.date(2026, 7, 30)
    )
    client.force_login(carol)
    with time_machine.travel(datetime.datetime(2026, 6, 12, 10), tick=False):
        page = client.get(reverse("certification:plans"), {"clock": "overdue"}).content.decode()
    assert late.title in page and "未到期方案" not in page and "row-overdue" in page


def test_plan_page_constant_queries(client, alice, django_assert_max_num_queries):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True)
    CandidateFactory(plan=plan)
    client.force_login(alice)
    url = reverse("certification:plan", args=[plan.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    CandidateFactory.create_batch(60, plan=plan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_summary_on_screen_and_xlsx(client, alice, carol):
    from openpyxl import load_workbook

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, verified=True, levels=[4, 5])
    CandidateFactory.create_batch(2, plan=plan, level=4, verification=Verification.ACCEPTED, passed=True)
    CandidateFactory(plan=plan, level=5, verification=Verification.ACCEPTED, passed=True)
    client.force_login(carol)
    page = client.get(reverse("certification:summary"), {"month": "2026-06"}).content.decode()
    assert "中式烹调师" in page
    response = client.get(reverse("certification:summary"), {"month": "2026-06", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][2:] == (1, 2, 0, 0, 0, 3)
    client.force_login(alice)
    assert client.get(reverse("certification:summary")).status_code == 200


def test_admin_refuses_deletion_within_retention(client, alice, django_user_model):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, verified=True)
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    response = client.get(reverse("admin:certification_assessmentplan_delete", args=[plan.pk]))
    assert response.status_code == 403
    changelist = client.get(reverse("admin:certification_assessmentplan_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_admin_pages_of_every_model(client, alice, django_user_model):
    from certification import workflow
    from tests.portal.factories import UserFactory

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[2], staffed=True)
    candidate = CandidateFactory(plan=plan, level=2, passed=True, materials=True)
    for _i in range(3):
        qualified_expert()
    centre = UserFactory(role="centre_staff")
    workflow.draw_review(candidate, centre)
    admin = django_user_model.objects.create_superuser("root2", "root2@example.org", "pw")
    client.force_login(admin)
    for model in (
        "assessmentplan",
        "candidate",
        "comprehensivereview",
        "panelist",
        "planstaff",
        "staffingratio",
        "expertqualification",
        "monthlysummary",
    ):
        url = reverse(f"admin:certification_{model}_changelist")
        assert client.get(url).status_code == 200, model
        assert client.get(url, {"q": "x"}).status_code == 200, model
    assert client.get(reverse("admin:certification_assessmentplan_change", args=[plan.pk])).status_code == 200


def test_experts_tick_their_own_panel_and_the_majority_decides(client, alice, carol, erin):
    from certification import workflow

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[2])
    candidate = CandidateFactory(plan=plan, level=2, passed=True, materials=True)
    experts = [qualified_expert() for _i in range(3)]
    review = workflow.draw_review(candidate, carol, seed=7)
    panel = list(review.panelists.select_related("expert"))
    drawn = {p.expert_id for p in panel}
    outsider = next(u for u in [erin, *experts] if u.pk not in drawn)
    client.force_login(outsider)
    assert (
        client.post(reverse("certification:expert_tick", args=[panel[0].pk]), {"tick": "1"}).status_code
        == 404
    )
    for p, value in zip(panel, ("1", "1", "0"), strict=True):
        client.force_login(p.expert)
        assert "考生" in client.get(reverse("certification:expert_reviews")).content.decode()
        client.post(reverse("certification:expert_tick", args=[p.pk]), {"tick": value})
    workflow.record_review(review, carol, performance="60")  # the experts' ticks are used
    review.refresh_from_db()
    assert review.passed is True
    client.force_login(panel[0].expert)
    client.post(reverse("certification:expert_tick", args=[panel[0].pk]), {"tick": "0"})
    panel[0].refresh_from_db()
    assert panel[0].tick is True  # decided reviews do not change


def test_review_sheet_download(client, alice, bob, carol):
    from openpyxl import load_workbook

    from certification import workflow

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True, levels=[2])
    candidate = CandidateFactory(plan=plan, level=2, passed=True, materials=True, name="=HYPERLINK()")
    for _i in range(3):
        qualified_expert()
    workflow.draw_review(candidate, carol, seed=99)
    url = reverse("certification:review_sheet", args=[plan.pk])
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(alice)
    rows = list(load_workbook(io.BytesIO(client.get(url).content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "'=HYPERLINK()" and rows[1][4] == "99"


def test_unknown_calendar_year_shows_provisional_dates(client, alice, carol):
    filed_institution(alice.institution)
    plan = PlanFactory(
        institution=alice.institution,
        approved=True,
        start_date=datetime.date(2099, 3, 2),
        end_date=datetime.date(2099, 3, 3),
    )
    client.force_login(carol)
    assert "暂定" in client.get(reverse("certification:plans")).content.decode()
    assert "暂定" in client.get(reverse("certification:plan", args=[plan.pk])).content.decode()


def test_centre_does_not_see_drafts(client, plan, carol):
    client.force_login(carol)
    assert client.get(reverse("certification:plan", args=[plan.pk])).status_code == 404
    assert plan.title not in client.get(reverse("certification:plans")).content.decode()


def test_centre_sees_the_checks_again(client, alice, carol):
    filed_institution(alice.institution, valid_until=datetime.date(2026, 5, 25))
    plan = PlanFactory(institution=alice.institution, submitted=True, staffed=True)
    CandidateFactory(plan=plan)
    client.force_login(carol)
    with time_machine.travel(datetime.datetime(2026, 5, 26, 10), tick=False):
        page = client.get(reverse("certification:plan", args=[plan.pk])).content.decode()
    assert "没有有效的备案" in page


def test_a_staffing_shortfall_links_to_the_personnel_change_form(client, alice):
    """Issue 29 item 2: "需考评员至少 3 人…现 1 人" leads somewhere — the filing's personnel change
    form, with the personnel addition preselected."""
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, staffed=True)
    CandidateFactory.create_batch(12, plan=plan)  # 12 candidates: 3 assessors are not enough (need 3, odd)
    plan.staff.filter(role="assessor").exclude(name="考评0").delete()  # one assessor left
    client.force_login(alice)
    page = client.get(reverse("certification:plan", args=[plan.pk])).content.decode()
    assert "需考评员至少 3 人" in page and "现 1 人" in page
    filing = alice.institution.filings.get()
    link = reverse("filings:request_change", args=[filing.pk]) + "?kind=personnel&amp;action=add"
    assert f'href="{link}"' in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    # the personnel form only (issue 29 item 10), the addition preselected
    assert 'type="hidden" name="kind" value="personnel"' in form and 'name="more-0-name"' in form
    assert '<option value="add" selected>' in form and 'name="site_description"' not in form


def test_no_change_link_without_a_staffing_shortfall(client, alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, start_date=datetime.date(2026, 5, 1), staffed=True)
    CandidateFactory(plan=plan)
    client.force_login(alice)
    page = client.get(reverse("certification:plan", args=[plan.pk])).content.decode()
    assert 'data-testid="refusals"' in page  # the start date is too early
    assert "personnel-change-link" not in page


def test_seed_001_16_4_the_centre_records_the_upload_on_the_plan_page(client, alice, carol):
    """seed 001 第十六条(四): the centre's plan page offers the upload step with its form; a posted
    upload and publication open issuing, and the page shows them and the 签发证书 button."""
    from django.utils import timezone

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, verified=True)
    CandidateFactory(plan=plan, verification=Verification.ACCEPTED, passed=True)
    client.force_login(carol)
    page = client.get(reverse("certification:plan", args=[plan.pk])).content.decode()
    assert 'data-testid="uploaded-form"' in page and 'data-testid="issue"' not in page
    url = reverse("certification:plan_uploaded", args=[plan.pk])
    today = timezone.localdate()
    # the publication date is required: without it nothing changes, and the page says so
    page = client.post(url, {"uploaded_on": today.isoformat()}, follow=True).content.decode()
    plan.refresh_from_db()
    assert plan.state == State.VERIFIED and "部鉴定中心网站公布日期" in page
    page = client.post(
        url,
        {
            "uploaded_on": (today - datetime.timedelta(days=1)).isoformat(),
            "published_on": today.isoformat(),
            "note": "部鉴定中心网站第 6 批",
        },
        follow=True,
    ).content.decode()
    plan.refresh_from_db()
    assert plan.state == State.UPLOADED and plan.published_on == today
    assert plan.publication_recorded_by == carol and plan.publication_note == "部鉴定中心网站第 6 批"
    assert 'data-testid="publication"' in page and 'data-testid="issue"' in page
    assert 'data-testid="uploaded-form"' not in page and 'data-testid="issuing-closed"' not in page
    client.force_login(alice)
    page = client.get(reverse("certification:plan", args=[plan.pk])).content.decode()
    assert 'data-testid="issue"' in page and "部鉴定中心网站第 6 批" in page
