"""Filing mails end with a full, clickable link to the portal's public address (settings.PORTAL_PUBLIC_URL,
portal/links.py), not with a bare path: the review workflow mail, a life-after-filing mail (renewal
request) and the renewal reminder."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from filings import after_filing, deadlines, workflow
from filings.constants import State

from .factories import in_state
from .factories_after import FiledFilingFactory

pytestmark = pytest.mark.django_db

PUBLIC = "https://jineng.example.org/portal"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PORTAL_PUBLIC_URL = PUBLIC


def last_line(body: str) -> str:
    return [line for line in body.splitlines() if line.strip()][-1]


def link_in(body: str) -> str:
    """The link a mail client would make clickable: from http(s):// to the end of its line."""
    [url] = re.findall(r"https?://\S+", body)
    return url


def test_the_workflow_mail_ends_with_the_filing_link(carol, django_capture_on_commit_callbacks):
    filing = in_state(State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_correction(filing, carol, "请补充营业执照")
    [message] = mail.outbox
    assert link_in(message.body) == f"{PUBLIC}/filings/{filing.pk}/"
    assert last_line(message.body).endswith(f"：{PUBLIC}/filings/{filing.pk}/")


def test_an_after_filing_mail_carries_the_public_link(alice, django_capture_on_commit_callbacks):
    filed = FiledFilingFactory(institution=alice.institution, filed_on=date(2026, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        after_filing.request_renewal(filed, alice, summary="续期", on=filed.valid_until - timedelta(days=30))
    assert mail.outbox and all(link_in(m.body) == f"{PUBLIC}/filings/{filed.pk}/" for m in mail.outbox)


def test_the_renewal_reminder_links_to_the_after_filing_page(alice, django_capture_on_commit_callbacks):
    filed = FiledFilingFactory(institution=alice.institution, filed_on=date(2026, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.send_due_reminders(filed.valid_until - timedelta(days=60)) == 1
    assert {m.to[0] for m in mail.outbox} == {alice.email, filed.contact_email}
    for message in mail.outbox:
        url = link_in(message.body)
        assert url == PUBLIC + reverse("filings:after_filing", args=[filed.pk])
        assert f"：{url}\n" in message.body  # the link ends its line
