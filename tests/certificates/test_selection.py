"""Issuance "all, by plan, or some": the 签发证书 page of a plan lists its verified passing candidates, all
ticked, and issues exactly the ticked ones; nothing else can be slipped into the form."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import plan_issuing
from certificates.forms import CandidateSelectionForm
from certificates.issuance import SelectionError, select_candidates
from certificates.models import Certificate, IssuanceBatch, IssuanceItem
from certification import issuable
from certification.constants import Verification
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

pytestmark = pytest.mark.django_db


def photo(n=0):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (350, 490), (255, 255, 255 - n)).save(out, format="PNG")
    return SimpleUploadedFile(f"p{n}.png", out.getvalue())


@pytest.fixture
def plan(alice):
    """Plan of institution A, results verified: three verified passing candidates, one verified but
    failed, one passing whose result the centre returned."""
    filed_institution(alice.institution, levels="345")
    # seed 001 第十六条(四): issuable once uploaded and published (was: verified)
    plan = PlanFactory(institution=alice.institution, uploaded=True, levels=[4])
    plan.passing = [
        CandidateFactory(
            plan=plan, name=name, verification=Verification.ACCEPTED, passed=True, photo=photo(i)
        )
        for i, name in enumerate(["甲一", "乙二", "丙三"])
    ]
    plan.failed = CandidateFactory(
        plan=plan, name="丁四", verification=Verification.ACCEPTED, theory_score=59, practical_score=80
    )
    plan.returned = CandidateFactory(plan=plan, name="戊五", verification=Verification.RETURNED, passed=True)
    return plan


def key(candidate) -> str:
    return issuable.source_key(candidate)


def issue_url(plan) -> str:
    return reverse("certificates:plan_issue", args=[plan.pk])


def open_page(client, plan):
    return client.post(issue_url(plan))


def submit(client, plan, keys):
    return client.post(issue_url(plan), {"selection": "1", "candidates": keys})


# --- the rule (certificates.issuance) ---------------------------------------------------------------


def test_select_candidates_keeps_the_offered_order_and_refuses_anything_else(plan, alice):
    offered = issuable.verified_passing(alice.institution, plan)
    a, b, c = (key(x) for x in plan.passing)
    assert [x.source_key for x in select_candidates(offered, [c, a, c])] == [a, c]
    with pytest.raises(SelectionError, match="请至少选择"):
        select_candidates(offered, [])
    for smuggled in (key(plan.failed), key(plan.returned), "certification.candidate:999999", ""):
        with pytest.raises(SelectionError, match="不能签发证书"):
            select_candidates(offered, [a, smuggled])


def test_issue_with_a_key_not_verified_passing_creates_nothing(plan, alice):
    with pytest.raises(SelectionError):
        plan_issuing.issue(plan, alice, chosen=[key(plan.passing[0]), key(plan.failed)])
    assert not IssuanceBatch.objects.exists()


# --- the page ---------------------------------------------------------------------------------------


def test_page_lists_verified_passing_candidates_all_ticked(
    client, plan, alice, django_assert_max_num_queries
):
    client.force_login(alice)
    with django_assert_max_num_queries(14):
        page = open_page(client, plan)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="selection-row"') == 3
    for candidate in plan.passing:
        assert f'value="{key(candidate)}" id=' in html and candidate.name in html
    assert html.count(" checked>") == 3
    assert "丁四" not in html and "戊五" not in html
    assert plan.passing[0].id_number not in html  # masked
    assert "candidate_selection.js" in html and "<script>" not in html  # no inline script (CSP)
    assert not IssuanceBatch.objects.exists()  # opening the page issues nothing


def test_picking_two_of_three_issues_exactly_two(
    client, plan, alice, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(alice)
    first, second, third = plan.passing
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, plan, [key(first), key(third)])
    batch = IssuanceBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "certificates:batch_detail", args=[batch.pk]
    )
    assert batch.total == 2
    assert sorted(batch.items.values_list("source_key", flat=True)) == sorted([key(first), key(third)])
    assert sorted(Certificate.objects.values_list("holder_name", flat=True)) == ["丙三", "甲一"]
    # the one left out can be issued later, and the page then shows who already has a certificate
    html = open_page(client, plan).content.decode()
    assert html.count("不会重复发证") == 2
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, plan, [key(second)])
    assert Certificate.objects.count() == 3 and IssuanceBatch.objects.count() == 2


@pytest.mark.parametrize("smuggled", ["failed", "returned", "other_plan", "other_institution", "unknown"])
def test_a_candidate_not_verified_passing_cannot_be_smuggled_in(client, plan, alice, bob, smuggled):
    if smuggled == "other_plan":
        # seed 001 第十六条(四): issuable once uploaded and published (was: verified)
        other = PlanFactory(institution=alice.institution, uploaded=True, levels=[4])
        extra = key(CandidateFactory(plan=other, verification=Verification.ACCEPTED, passed=True))
    elif smuggled == "other_institution":
        filed_institution(bob.institution, levels="345")
        # seed 001 第十六条(四): issuable once uploaded and published (was: verified)
        other = PlanFactory(institution=bob.institution, uploaded=True, levels=[4])
        extra = key(CandidateFactory(plan=other, verification=Verification.ACCEPTED, passed=True))
    elif smuggled == "unknown":
        extra = "certification.candidate:999999"
    else:
        extra = key(getattr(plan, smuggled))
    client.force_login(alice)
    response = submit(client, plan, [key(plan.passing[0]), extra])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="selection-errors"' in html and "不能签发证书" in html
    assert not IssuanceBatch.objects.exists() and not IssuanceItem.objects.exists()
    # nothing lost: the legitimate tick is still there, the smuggled value is not offered
    assert html.count(" checked>") == 1 and f'value="{extra}"' not in html


def test_nothing_ticked_is_refused(client, plan, alice):
    client.force_login(alice)
    response = submit(client, plan, [])
    assert response.status_code == 200 and "请至少选择一名考生" in response.content.decode()
    assert not IssuanceBatch.objects.exists()


def test_who_may_issue(client, plan, alice, bob, carol, dave, erin):
    for who, status in ((alice, 200), (carol, 200), (bob, 404), (dave, 404), (erin, 404)):
        client.force_login(who)
        assert open_page(client, plan).status_code == status, who
        assert submit(client, plan, [key(plan.passing[0])]).status_code in (
            (302,) if status == 200 else (404,)
        ), who
    assert IssuanceBatch.objects.count() == 2  # alice's and carol's (the second linked as issued before)
    client.logout()
    response = client.get(issue_url(plan))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_plan_not_verified_goes_back_with_the_reason(client, alice):
    filed_institution(alice.institution, levels="345")
    reported = PlanFactory(institution=alice.institution, reported=True, levels=[4])
    CandidateFactory(plan=reported, passed=True)
    client.force_login(alice)
    response = client.post(issue_url(reported), follow=True)
    # seed 001 第十六条(四): the reason names the whole way, up to the publication on the ministry's site
    assert "核对无误、上传部鉴定中心并在其网站公布后方可签发证书" in response.content.decode()
    assert not IssuanceBatch.objects.exists()


def test_seed_001_16_4_verified_plan_goes_back_with_what_is_awaited(client, alice, carol):
    """seed 001 第十六条(四): a verified plan not yet uploaded is not issued; the 签发证书 address goes back
    to the plan page, which says why and what is awaited (citing the clause by the notice's title), and
    offers no 签发证书 button; the centre sees the upload step's form instead."""
    filed_institution(alice.institution, levels="345")
    verified = PlanFactory(institution=alice.institution, verified=True, levels=[4])
    CandidateFactory(plan=verified, passed=True, verification=Verification.ACCEPTED)
    for user in (alice, carol):
        client.force_login(user)
        page = client.post(issue_url(verified), follow=True).content.decode()
        assert "正等待市鉴定中心将认定合格信息上传部鉴定中心并在部鉴定中心网站公布" in page
        assert "《天津市职业技能等级认定工作管理办法（试行）》第十六条(四)" in page
        assert 'data-testid="issuing-closed"' in page and 'data-testid="issue"' not in page
        assert "seed 00" not in page
        assert ('data-testid="uploaded-form"' in page) == (user == carol)
    assert not IssuanceBatch.objects.exists()


def test_plan_page_offers_the_action_to_the_institution(client, plan, alice, bob):
    client.force_login(alice)
    html = client.get(reverse("certification:plan", args=[plan.pk])).content.decode()
    assert 'data-testid="issue"' in html


def test_form_rows_after_a_refused_submission_keep_the_ticks(plan, alice):
    offered = issuable.verified_passing(alice.institution, plan)
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.setlist("candidates", [key(plan.passing[1]), key(plan.failed)])
    form = CandidateSelectionForm(offered, data)
    assert not form.is_valid()
    assert [row["checked"] for row in form.rows()] == [False, True, False]


def test_seed_001_16_4_the_batch_list_names_the_plans_awaiting_upload(client, alice, bob, carol):
    """seed 001 第十六条(四): the 证书签发批次 page lists the verified plans still awaiting the upload and
    the publication, with why issuing is closed and the upload due date; an uploaded plan leaves it."""
    import datetime

    from certification import workflow

    filed_institution(alice.institution, levels="345")
    verified = PlanFactory(institution=alice.institution, verified=True, levels=[4], title="待上传方案")
    url = reverse("certificates:batch_list")
    for user, listed in ((alice, True), (carol, True), (bob, False)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert ("待上传方案" in page) == listed, user
        assert ('data-testid="awaiting-upload"' in page) == listed
        assert "seed 00" not in page
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert "《天津市职业技能等级认定工作管理办法（试行）》第十六条(四)" in page
    assert "2026-06-24" in page  # the upload due date: 10 working days after 2026-06-09
    workflow.mark_uploaded(
        verified,
        carol,
        uploaded_on=datetime.date(2026, 6, 11),
        published_on=datetime.date(2026, 6, 12),
        on=datetime.date(2026, 6, 12),
    )
    assert "待上传方案" not in client.get(url).content.decode()
