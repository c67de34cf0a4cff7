"""Issue 44 follow-up: a site change lists the exam sites it adds (ChangeSite, the fields of FilingSite) and
picks the filed ones it removes (ChangeRequest.removed_sites); the centre's approval files them as the
filing's FilingSite rows, a rejection files nothing, and a site still used by an exam session that has not
ended cannot be removed (filings.after_filing)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import ExamSession
from filings import after_filing
from filings.constants_after import ChangeKind, ChangeState
from filings.institutions import current_filing
from filings.models import FilingSite
from portal import audit
from tests.certification.test_session_sites import create, site  # noqa: F401
from tests.certification.test_session_views import plan  # noqa: F401

from .factories import FilingSiteFactory

pytestmark = pytest.mark.django_db

NEW = {"name": "二号实训楼", "address": "西青区实训路 11 号", "rooms": 3, "seats": 60, "use": "practical"}


@pytest.fixture
def filing(plan, site):  # noqa: F811
    return current_filing(plan.institution)


def _move_to_future(session, days=30):
    start = timezone.now() + datetime.timedelta(days=days)
    ExamSession.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )


def test_added_and_removed_sites_are_filed_on_approval(alice, carol, filing, site):  # noqa: F811
    old = FilingSiteFactory(filing=filing, name="旧考点", address="南开区旧路 1 号", seats=30)
    change = after_filing.request_change(
        filing, alice, kind=ChangeKind.SITE, reason="搬迁旧考点", added_sites=[NEW], removed_sites=[old]
    )
    assert change.site_description == ""  # the note is optional
    assert [s.name for s in change.added_sites.all()] == ["二号实训楼"]
    assert list(change.removed_sites.all()) == [old]
    # nothing changes before the centre confirms it
    assert set(filing.sites.values_list("name", flat=True)) == {"实训基地", "旧考点"}

    after_filing.decide_change(change, carol, approve=True, comment="同意")
    change.refresh_from_db()
    assert change.state == ChangeState.APPLIED
    rows = {s.name: s for s in FilingSite.objects.filter(filing=filing)}
    assert set(rows) == {"实训基地", "二号实训楼"}
    added = rows["二号实训楼"]
    assert (added.address, added.rooms, added.seats, added.use) == ("西青区实训路 11 号", 3, 60, "practical")
    event = audit.trail(filing).get(event="change_applied")
    assert event.data["sites_added"] == ["二号实训楼（西青区实训路 11 号）"]
    assert event.data["sites_removed"] == ["旧考点（南开区旧路 1 号）"]


def test_a_site_used_by_a_future_session_cannot_be_removed(alice, carol, plan, filing, site):  # noqa: F811
    session = create(plan, alice, capacity=10, site=site)
    _move_to_future(session)
    with pytest.raises(after_filing.WorkflowError, match="场地“实训基地”仍有考场安排在用：") as refused:
        after_filing.request_change(
            filing, alice, kind=ChangeKind.SITE, reason="不用了", removed_sites=[site]
        )
    assert plan.title in str(refused.value) and "实训室 1" in str(refused.value)
    assert FilingSite.objects.filter(pk=site.pk).exists()


def test_a_session_arranged_after_the_request_stops_the_removal(alice, carol, plan, filing, site):  # noqa: F811
    change = after_filing.request_change(
        filing, alice, kind=ChangeKind.SITE, reason="不用了", removed_sites=[site]
    )
    _move_to_future(create(plan, alice, capacity=10, site=site))
    with pytest.raises(after_filing.WorkflowError, match="不能减少"):
        after_filing.decide_change(change, carol, approve=True)
    change.refresh_from_db()
    assert change.state == ChangeState.SUBMITTED
    assert FilingSite.objects.filter(pk=site.pk).exists()


def test_a_site_with_only_past_sessions_can_be_removed(alice, carol, plan, filing, site):  # noqa: F811
    session = create(plan, alice, capacity=10, site=site)  # June 2026: over
    change = after_filing.request_change(
        filing, alice, kind=ChangeKind.SITE, reason="不用了", removed_sites=[site]
    )
    after_filing.decide_change(change, carol, approve=True)
    assert not FilingSite.objects.filter(pk=site.pk).exists()
    session.refresh_from_db()
    assert session.site is None and session.place == "实训基地（西青区实训路 9 号）"


def test_nothing_is_filed_on_rejection(alice, carol, filing, site):  # noqa: F811
    change = after_filing.request_change(
        filing, alice, kind=ChangeKind.SITE, reason="调整", added_sites=[NEW], removed_sites=[site],
        site_description="新增二号楼",
    )  # fmt: skip
    after_filing.reject_change(change, carol, "证明材料不全")
    change.refresh_from_db()
    assert change.state == ChangeState.REJECTED
    assert list(FilingSite.objects.filter(filing=filing)) == [site]
    filing.refresh_from_db()
    assert filing.site_description != "新增二号楼"


def test_only_the_filings_own_sites_and_complete_rows(alice, filing, site):  # noqa: F811
    foreign = FilingSiteFactory()
    with pytest.raises(after_filing.WorkflowError, match="本备案的考试场地"):
        after_filing.request_change(filing, alice, kind=ChangeKind.SITE, reason="x", removed_sites=[foreign])
    with pytest.raises(after_filing.WorkflowError, match="考位"):
        after_filing.request_change(
            filing, alice, kind=ChangeKind.SITE, reason="x", added_sites=[dict(NEW, seats=None)]
        )
    with pytest.raises(after_filing.WorkflowError, match="请列出增加或减少的考试场地"):
        after_filing.request_change(filing, alice, kind=ChangeKind.SITE, reason="x")


def test_the_applicant_asks_on_the_change_page(client, alice, carol, filing, site):  # noqa: F811
    url = reverse("filings:request_change", args=[filing.pk])
    client.force_login(alice)
    page = client.get(url + "?kind=site").content.decode()
    assert 'data-testid="added-sites"' in page and 'name="removed_sites"' in page
    data = {
        "kind": "site", "reason": "新增二号楼，停用实训基地", "removed_sites": [str(site.pk)],
        "addsite-TOTAL_FORMS": "2", "addsite-INITIAL_FORMS": "0", "addsite-MIN_NUM_FORMS": "0",
        "addsite-MAX_NUM_FORMS": "20", **{f"addsite-0-{k}": str(v) for k, v in NEW.items()},
        "addsite-1-rooms": "1", "addsite-1-use": "both",  # a blank row as the page sends it
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    change = filing.change_requests.get()
    assert [s.name for s in change.added_sites.all()] == ["二号实训楼"]
    assert list(change.removed_sites.all()) == [site]
    page = client.get(reverse("filings:change_detail", args=[change.pk])).content.decode()
    assert "增加 二号实训楼" in page and "减少 实训基地" in page


def test_a_change_still_names_the_site_it_removed_once_approved(client, alice, carol, filing, site):  # noqa: F811
    old = FilingSiteFactory(filing=filing, name="旧考点", address="南开区旧路 1 号", seats=30)
    change = after_filing.request_change(
        filing, alice, kind=ChangeKind.SITE, reason="停用旧考点", removed_sites=[old]
    )
    assert change.removed_names == "旧考点"
    after_filing.decide_change(change, carol, approve=True, comment="同意")
    change.refresh_from_db()
    assert not change.removed_sites.exists()  # the filed row is gone, and with it the link
    client.force_login(alice)
    page = client.get(reverse("filings:change_detail", args=[change.pk])).content.decode()
    assert "减少 旧考点" in page


def test_an_empty_site_change_is_refused_beside_the_note(client, alice, filing, site):  # noqa: F811
    url = reverse("filings:request_change", args=[filing.pk])
    client.force_login(alice)
    data = {
        "kind": "site", "reason": "调整场地",
        "addsite-TOTAL_FORMS": "1", "addsite-INITIAL_FORMS": "0", "addsite-MIN_NUM_FORMS": "0",
        "addsite-MAX_NUM_FORMS": "20", "addsite-0-rooms": "1", "addsite-0-use": "both",  # left blank
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert not filing.change_requests.exists()
    html = response.content.decode()
    note = html.index('name="site_description"')
    refusal = html.index("请列出增加或减少的考试场地")
    # in the note's own error block (crispy puts it after the field), not in the page's message bar
    assert 'id="error_1_id_site_description"' in html and 0 < refusal - note < 2000
    assert "调整场地" in html  # the reason typed is kept


def test_the_admin_shows_the_sites_of_a_change(admin_client, alice, filing, site):  # noqa: F811
    change = after_filing.request_change(
        filing, alice, kind=ChangeKind.SITE, reason="调整", added_sites=[NEW], removed_sites=[site]
    )
    page = admin_client.get(reverse("admin:filings_changerequest_change", args=[change.pk])).content.decode()
    assert "二号实训楼" in page and "实训基地" in page
