"""Issue 29 item 4: the bureau lifts a blacklist entry on a portal page, with its reason and audit
event; the institution is told and its credit code may apply again. The centre reads the entry; the
admin stays read-only and links to the page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from filings import after_filing, institutions, workflow
from filings.constants_after import BlacklistState
from filings.models import BlacklistEntry
from portal.models import AuditEvent

from .factories_after import BlacklistEntryFactory, FiledFilingFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 3, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def entry(alice, dave):
    filed = FiledFilingFactory(institution=alice.institution)
    return after_filing.revoke(filed, dave, reason="违规发证，情节严重")


def _lift(client, entry, **data):
    return client.post(reverse("filings:blacklist_lift", args=[entry.pk]), data)


def test_the_bureau_lifts_with_a_reason_and_the_code_may_apply_again(client, entry, alice, dave):
    with pytest.raises(workflow.WorkflowError, match="黑名单"):
        workflow.open_filing(alice.institution, alice, entry.filing.route)
    client.force_login(dave)
    page = client.get(reverse("filings:blacklist_detail", args=[entry.pk])).content.decode()
    assert 'data-testid="lift-form"' in page and "移出理由" in page
    response = _lift(client, entry, reason="行政复议撤销原决定", confirm="on")
    assert response.status_code == 302
    assert response.url == reverse("filings:blacklist_detail", args=[entry.pk])

    entry.refresh_from_db()
    assert entry.state == BlacklistState.LIFTED
    assert entry.lifted_by == dave and entry.lift_reason == "行政复议撤销原决定"
    assert entry.lifted_on == datetime.date(2026, 6, 3) and entry.lifted_at is not None
    event = AuditEvent.objects.get(event="blacklist_lifted")
    assert event.comment == "行政复议撤销原决定" and event.actor == dave
    assert event.target_id == str(entry.filing_id)
    assert alice.notifications.filter(text__contains="移出黑名单").exists()

    page = client.get(response.url).content.decode()
    assert "已移出" in page and "行政复议撤销原决定" in page and 'data-testid="lift-form"' not in page
    # no longer blocking: registration and a new application
    assert institutions.registration_refusal(entry.credit_code) is None
    assert workflow.open_filing(alice.institution, alice, entry.filing.route).pk


@pytest.mark.parametrize("who", ["carol", "alice", "bob", "erin"])
def test_nobody_else_may_lift(client, entry, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert _lift(client, entry, reason="想移出", confirm="on").status_code == 404
    with pytest.raises(after_filing.NotPermitted):
        after_filing.lift_blacklist(entry, user, "想移出")
    entry.refresh_from_db()
    assert entry.state == BlacklistState.LISTED
    assert not AuditEvent.objects.filter(event="blacklist_lifted").exists()


def test_the_centre_reads_the_entry_without_the_form(client, entry, carol, alice):
    client.force_login(carol)
    listing = client.get(reverse("filings:blacklist")).content.decode()
    assert entry.name in listing
    page = client.get(reverse("filings:blacklist_detail", args=[entry.pk])).content.decode()
    assert 'data-testid="lift-readonly"' in page and 'data-testid="lift-form"' not in page
    client.force_login(alice)
    assert client.get(reverse("filings:blacklist")).status_code == 404
    assert client.get(reverse("filings:blacklist_detail", args=[entry.pk])).status_code == 404


def test_an_empty_reason_is_refused_in_chinese(client, entry, dave):
    with pytest.raises(after_filing.WorkflowError, match="移出黑名单必须填写理由"):
        after_filing.lift_blacklist(entry, dave, "   ")
    client.force_login(dave)
    response = client.post(
        reverse("filings:blacklist_lift", args=[entry.pk]), {"reason": "", "confirm": "on"}, follow=True
    )
    assert "移出黑名单必须填写理由" in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == BlacklistState.LISTED and entry.lifted_on is None


def test_without_confirmation_nothing_changes(client, entry, dave):
    client.force_login(dave)
    response = _lift(client, entry, reason="复核撤销")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == BlacklistState.LISTED


def test_a_lifted_entry_cannot_be_lifted_again(entry, dave):
    after_filing.lift_blacklist(entry, dave, "复核撤销")
    with pytest.raises(after_filing.NotPermitted, match="已移出"):
        after_filing.lift_blacklist(entry, dave, "再次移出")
    assert AuditEvent.objects.filter(event="blacklist_lifted").count() == 1


def test_the_list_searches_by_name_and_credit_code_and_filters_by_state(client, carol):
    kept = BlacklistEntryFactory(name="甲培训学校")
    lifted = BlacklistEntryFactory(name="乙技能评价中心", state=BlacklistState.LIFTED)
    client.force_login(carol)
    url = reverse("filings:blacklist")
    body = client.get(url, {"q": "甲培训"}).content.decode()
    assert kept.name in body and lifted.name not in body
    body = client.get(url, {"q": lifted.credit_code[-8:]}).content.decode()
    assert lifted.name in body and kept.name not in body
    body = client.get(url, {"state": "listed"}).content.decode()
    assert kept.name in body and lifted.name not in body


def test_the_list_is_paginated(client, carol):
    from filings.constants_after import AFTER_QUEUE_PAGE_SIZE

    for _ in range(AFTER_QUEUE_PAGE_SIZE + 1):
        BlacklistEntryFactory()
    client.force_login(carol)
    response = client.get(reverse("filings:blacklist"))
    assert response.context["page"].paginator.num_pages == 2


def test_the_admin_is_read_only_and_links_to_the_portal_page(admin_client, entry):
    url = reverse("admin:filings_blacklistentry_change", args=[entry.pk])
    page = admin_client.get(url).content.decode()
    assert reverse("filings:blacklist_detail", args=[entry.pk]) in page
    admin_client.post(url, {"lifted_on": "2026-06-03"})
    entry.refresh_from_db()
    assert entry.lifted_on is None and entry.state == BlacklistState.LISTED
    assert BlacklistEntry.objects.filter(state=BlacklistState.LISTED).count() == 1


def test_the_bureau_landing_page_counts_entries_in_force(client, entry, dave):
    client.force_login(dave)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="fig-waiting-blacklist">1<' in page
