"""Issue 29 item 1: the check before issuing. The 签发证书 page shows each candidate's photo (有/缺) and what
the batch would do (可发证 / the reasons, from the one rule ``issuance.refusals``); a refused candidate
cannot be ticked; a photo missing after verification can be added (audited) and a finished batch's
refused candidates issued again, only those."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import plan_issuing
from certificates.models import Certificate, IssuanceBatch, IssuanceItem
from certification import issuable
from certification.constants import Verification
from portal.models import AuditEvent
from tests.certificates.factories import CertificateFactory, photo_bytes
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

pytestmark = pytest.mark.django_db


def photo(name="p.png", kind="PNG"):
    return SimpleUploadedFile(name, photo_bytes(kind))


@pytest.fixture
def plan(alice):
    """A verified plan: 甲一 ready, 乙二 without a photo, 丙三 at level 5, which the filing (levels 3-4)
    does not cover, 丁四 whose earlier certificate was revoked."""
    filed_institution(alice.institution, levels="34")
    # seed 001 第十六条(四): issuable once uploaded and published (was: verified)
    plan = PlanFactory(institution=alice.institution, uploaded=True, levels=[4, 5])

    def candidate(name, **kwargs):
        kwargs.setdefault("photo", photo())
        return CandidateFactory(
            plan=plan, name=name, verification=Verification.ACCEPTED, passed=True, **kwargs
        )

    plan.ready = candidate("甲一")
    plan.no_photo = candidate("乙二", photo=None)
    plan.out_of_scope = candidate("丙三", level=5)
    plan.revoked = candidate("丁四")
    CertificateFactory(
        revoked=True, institution=alice.institution, source_key=issuable.source_key(plan.revoked)
    )
    return plan


def key(candidate):
    return issuable.source_key(candidate)


def issue_url(plan):
    return reverse("certificates:plan_issue", args=[plan.pk])


def run(django_capture_on_commit_callbacks, settings, action):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        return action()


# --- the rule -------------------------------------------------------------------------------------------


def test_refusals_lists_every_reason_at_once(plan):
    from certificates.issuance import refusals  # here: the rule is new (issue 29 item 1)

    row = next(c for c in plan_issuing.candidates_of(plan) if c.source_key == key(plan.no_photo))
    row.level = 5
    reasons = refusals(row, {("4-03-02-01", 4)})
    assert any("不在本机构备案" in r for r in reasons) and "缺少照片。" in reasons


def test_preflight_names_missing_photo_scope_and_revocation(plan):
    check = plan_issuing.preflight(plan)
    rows = {row.candidate.source_key: row for row in check.rows}
    assert check.problems == []
    assert rows[key(plan.ready)].issuable and rows[key(plan.ready)].has_photo
    assert rows[key(plan.no_photo)].reasons == ["缺少照片。"] and not rows[key(plan.no_photo)].has_photo
    assert "不在本机构备案" in rows[key(plan.out_of_scope)].reasons[0]
    assert rows[key(plan.revoked)].existing_revoked and not rows[key(plan.revoked)].issuable
    assert [r.candidate.name for r in check.ready] == ["甲一"]
    assert len(check.to_fix) == 2


def test_preflight_and_batch_agree(plan, alice, django_capture_on_commit_callbacks, settings):
    """What the page says is exactly what the batch does."""
    check = plan_issuing.preflight(plan)
    keys = [key(plan.ready), key(plan.no_photo), key(plan.out_of_scope)]
    batch = run(
        django_capture_on_commit_callbacks, settings, lambda: plan_issuing.issue(plan, alice, chosen=keys)
    )
    by_key = {item.source_key: item for item in IssuanceBatch.objects.get(pk=batch.pk).items.all()}
    for row in check.rows:
        if row.candidate.source_key in by_key:
            item = by_key[row.candidate.source_key]
            assert (item.status == IssuanceItem.Status.REFUSED) == bool(row.reasons)
            assert item.reason == (row.reasons[0] if row.reasons else "")


def test_a_photo_file_gone_from_storage_is_named_and_refused_alike(
    plan, alice, django_capture_on_commit_callbacks, settings
):
    from django.core.files.storage import default_storage

    default_storage.delete(plan.ready.photo.name)
    row = next(r for r in plan_issuing.preflight(plan).rows if r.candidate.source_key == key(plan.ready))
    assert row.reasons == ["照片文件不存在。"]
    batch = run(
        django_capture_on_commit_callbacks,
        settings,
        lambda: plan_issuing.issue(plan, alice, chosen=[key(plan.ready)]),
    )
    assert batch.items.get().reason == "照片文件不存在。"


def test_a_revoked_filing_stops_the_whole_plan(alice):
    from filings.constants import State as FilingState

    filed_institution(alice.institution, state=FilingState.REVOKED)
    # seed 001 第十六条(四): issuable once uploaded and published (was: verified)
    plan = PlanFactory(institution=alice.institution, uploaded=True, levels=[4])
    CandidateFactory(plan=plan, verification=Verification.ACCEPTED, passed=True, photo=photo())
    assert plan_issuing.preflight(plan).problems == [
        "该机构没有有效的备案或尚未赋予机构序列码，不能签发证书。"
    ]


# --- the page -------------------------------------------------------------------------------------------


def test_selection_page_shows_photo_column_and_preflight(client, plan, alice):
    client.force_login(alice)
    html = client.post(issue_url(plan)).content.decode()
    assert ">照片</th>" in html and ">发证前检查</th>" in html
    assert html.count('data-testid="photo-cell"') == 4
    assert "2 人可发证" not in html and "1 人可发证，2 人需处理" in html
    assert "缺少照片。" in html and "不在本机构备案" in html and "已撤销，不再发证" in html
    fix = reverse("certification:candidate", args=[plan.pk, plan.no_photo.pk])
    assert f'href="{fix}" data-testid="fix-photo"' in html
    zip_link = reverse("certification:plan", args=[plan.pk]) + "#photos"
    assert f'href="{zip_link}" data-testid="photos-zip-link"' in html
    # the refused cannot be ticked; the ready one is
    assert f'value="{key(plan.ready)}" id="pick-1" checked>' in html
    assert f'value="{key(plan.no_photo)}" id="pick-2" disabled>' in html


def test_submitting_a_refused_candidate_is_refused_with_the_name(client, plan, alice):
    client.force_login(alice)
    response = client.post(
        issue_url(plan), {"selection": "1", "candidates": [key(plan.ready), key(plan.no_photo)]}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "以下考生暂不能发证" in html and "乙二（缺少照片。）" in html
    assert not IssuanceBatch.objects.exists()


# --- a photo after verification -------------------------------------------------------------------------


def photo_url(plan, candidate):
    return reverse("certification:candidate_photo", args=[plan.pk, candidate.pk])


def test_a_missing_photo_can_be_added_after_verification_and_is_audited(client, plan, alice):
    client.force_login(alice)
    page = client.get(reverse("certification:candidate", args=[plan.pk, plan.no_photo.pk])).content.decode()
    assert 'data-testid="upload-photo"' in page and 'data-testid="photo-after-verification"' in page
    client.post(photo_url(plan, plan.no_photo), {"photo": photo()})
    plan.no_photo.refresh_from_db()
    assert plan.no_photo.photo
    event = AuditEvent.objects.get(event="certification_photo_added_after_verification")
    assert event.actor == alice and event.target_id == str(plan.pk)
    assert event.data["candidate"] == plan.no_photo.pk


def test_an_existing_photo_is_not_replaced_after_verification(client, plan, alice):
    client.force_login(alice)
    before = plan.ready.photo.name
    page = client.get(reverse("certification:candidate", args=[plan.pk, plan.ready.pk])).content.decode()
    assert 'data-testid="upload-photo"' not in page
    response = client.post(photo_url(plan, plan.ready), {"photo": photo()}, follow=True)
    assert "不能更换已有的照片" in response.content.decode()
    plan.ready.refresh_from_db()
    assert plan.ready.photo.name == before
    assert not AuditEvent.objects.filter(event="certification_photo_added_after_verification").exists()


def test_a_photo_is_checked_by_content_after_verification_too(client, plan, alice):
    client.force_login(alice)
    client.post(photo_url(plan, plan.no_photo), {"photo": SimpleUploadedFile("x.jpg", b"not an image")})
    plan.no_photo.refresh_from_db()
    assert not plan.no_photo.photo


# --- retry just those ------------------------------------------------------------------------------------


def test_retry_issues_only_the_fixed_candidates(
    client, plan, alice, django_capture_on_commit_callbacks, settings
):
    client.force_login(alice)
    # the first batch (as before the pre-flight) refuses 乙二 for the missing photo
    keys = [key(plan.ready), key(plan.no_photo), key(plan.out_of_scope)]
    first = run(
        django_capture_on_commit_callbacks, settings, lambda: plan_issuing.issue(plan, alice, chosen=keys)
    )
    first.refresh_from_db()
    assert (
        first.status == IssuanceBatch.Status.FINISHED and first.issued_count == 1 and first.refused_count == 2
    )
    # the batch page offers the retry; the photo is added
    detail = client.get(reverse("certificates:batch_detail", args=[first.pk])).content.decode()
    assert 'data-testid="retry-refused"' in detail and issue_url(plan) in detail
    client.post(photo_url(plan, plan.no_photo), {"photo": photo()})
    # the retry opens the page with only the refused that pass now ticked
    html = client.post(issue_url(plan), {"retry": str(first.pk)}).content.decode()
    assert f'value="{key(plan.no_photo)}" id="pick-2" checked>' in html
    assert f'value="{key(plan.ready)}" id="pick-1">' in html  # issued already: not ticked
    assert 'id="pick-3" disabled>' in html  # still out of scope
    response = run(
        django_capture_on_commit_callbacks,
        settings,
        lambda: client.post(issue_url(plan), {"selection": "1", "candidates": [key(plan.no_photo)]}),
    )
    second = IssuanceBatch.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302 and second.total == 1
    assert second.issued_count == 1 and second.refused_count == 0
    assert sorted(Certificate.objects.filter(status="valid").values_list("holder_name", flat=True)) == [
        "乙二",
        "甲一",
    ]


def test_retry_of_another_institutions_batch_ticks_nothing_of_it(client, plan, alice, bob):
    from tests.certificates.factories import batch

    other = batch(bob.institution, [])
    client.force_login(alice)
    html = client.post(issue_url(plan), {"retry": str(other.pk)}).content.decode()
    assert f'value="{key(plan.ready)}" id="pick-1" checked>' in html  # the default, not the stranger's batch
