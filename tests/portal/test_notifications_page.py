"""Issue 39 item 1: a user sees all their notices on one page, each naming the object it is about with a
link, and marks them read one by one or all at once (POST with the CSRF token; another user's notice is
not found)."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from filings import deadlines
from portal import audit
from portal.models import Notification
from tests.filings.factories_after import FiledFilingFactory

pytestmark = pytest.mark.django_db


def test_a_reminder_names_its_filing_with_a_link(client, alice):
    filing = FiledFilingFactory(institution=alice.institution, filed_on=date(2026, 3, 1))
    assert deadlines.send_due_reminders(date(2028, 11, 30)) == 1  # 90 days before 2029-02-28
    client.force_login(alice)
    page = client.get(reverse("notifications")).content.decode()
    assert filing.name in page
    notice = Notification.objects.get(user=alice)
    assert f'href="{notice.url}"' in page and "90 天" in page


def test_every_notice_is_on_the_pages(client, alice):
    for n in range(25):
        audit.notify(alice, f"通知{n:02d}")
    client.force_login(alice)
    shown = client.get(reverse("notifications")).content.decode()
    shown += client.get(reverse("notifications") + "?page=2").content.decode()
    assert all(f"通知{n:02d}" in shown for n in range(25))


def test_one_notice_marked_read_then_all(client, alice, bob):
    first = audit.notify(alice, "第一份", "/notifications/")
    second = audit.notify(alice, "第二份")
    third = audit.notify(alice, "第三份")
    client.force_login(alice)
    page = client.get(reverse("notifications")).content.decode()
    assert page.count('data-testid="notification-read"') == 3
    response = client.post(reverse("notification_read", args=[first.pk]), {"page": "1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at and not second.read_at
    assert audit.unread_count(alice) == 2
    read_at = first.read_at
    client.post(reverse("notification_read", args=[first.pk]))  # again: stays as it was
    first.refresh_from_db()
    assert first.read_at == read_at
    assert client.get(reverse("notifications")).content.decode().count('data-testid="notification-read"') == 2
    client.force_login(bob)
    assert client.post(reverse("notification_read", args=[second.pk])).status_code == 404
    second.refresh_from_db()
    assert second.read_at is None
    client.force_login(alice)
    client.post(reverse("notifications_read"))
    third.refresh_from_db()
    assert third.read_at and audit.unread_count(alice) == 0


def test_marking_read_needs_a_post_with_the_token(alice):
    notice = audit.notify(alice, "待读")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get(reverse("notification_read", args=[notice.pk])).status_code == 302
    assert client.post(reverse("notification_read", args=[notice.pk])).status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None
