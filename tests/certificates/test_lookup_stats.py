"""What staff see of the lookup log: counts per day (zero days included) and bursts, at the
boundaries of the burst rules; the page's permissions and query count."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from certificates import lookup_stats
from certificates.constants import LOOKUP_BURST_DAY_MINIMUM, LOOKUP_BURST_PER_HOUR
from certificates.models import LookupEvent

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 9, 15, 12, 30, tzinfo=datetime.UTC)  # 20:30 in Shanghai


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def events(n, at, ip="a" * 16, kind="lookup", outcome="found"):
    LookupEvent.objects.bulk_create(
        [LookupEvent(at=at, kind=kind, outcome=outcome, ip_hash=ip, code="") for _ in range(n)]
    )


def test_counts_per_day_in_local_time_with_empty_days():
    local = timezone.get_current_timezone()
    events(3, datetime.datetime(2026, 9, 15, 0, 30, tzinfo=local), kind="lookup")
    events(2, datetime.datetime(2026, 9, 15, 9, 0, tzinfo=local), kind="verify", outcome="mismatch")
    events(1, datetime.datetime(2026, 9, 14, 23, 59, tzinfo=local), kind="api", outcome="limited")
    days = lookup_stats.daily_counts(days=3)
    assert [d.day for d in days] == [
        datetime.date(2026, 9, 15),
        datetime.date(2026, 9, 14),
        datetime.date(2026, 9, 13),
    ]
    today, yesterday, before = days
    assert (today.total, today.kind("lookup"), today.kind("verify"), today.not_found) == (5, 3, 2, 2)
    assert (yesterday.total, yesterday.limited) == (1, 1)
    assert before.total == 0


@pytest.mark.parametrize(("n", "burst"), [(LOOKUP_BURST_PER_HOUR - 1, False), (LOOKUP_BURST_PER_HOUR, True)])
def test_an_address_at_the_hourly_threshold_is_a_burst(n, burst):
    hour = NOW.replace(minute=0) - datetime.timedelta(hours=2)
    events(n, hour + datetime.timedelta(minutes=5), ip="b" * 16, outcome="not_found")
    # as many from another address, but split across two clock hours: no single hour reaches n
    events(n // 2, hour + datetime.timedelta(minutes=55), ip="c" * 16)
    events(n - n // 2, hour + datetime.timedelta(minutes=65), ip="c" * 16)
    found = lookup_stats.bursts()
    if burst:
        assert [(b.ip_hash, b.count, b.failed) for b in found] == [("b" * 16, n, n)]
    else:
        assert found == []


def test_bursts_older_than_the_window_are_not_shown():
    events(LOOKUP_BURST_PER_HOUR, NOW - datetime.timedelta(days=8))
    assert lookup_stats.bursts() == []


def test_a_day_far_busier_than_the_days_before_is_marked():
    local = timezone.get_current_timezone()
    for back in range(1, 8):
        events(10, datetime.datetime(2026, 9, 15 - back, 10, 0, tzinfo=local))
    events(LOOKUP_BURST_DAY_MINIMUM, datetime.datetime(2026, 9, 15, 10, 0, tzinfo=local))  # 5x the median
    days = lookup_stats.daily_counts(days=8)
    assert days[0].burst and not any(d.burst for d in days[1:])


def test_a_quiet_day_is_not_a_burst_even_after_silence():
    local = timezone.get_current_timezone()
    events(LOOKUP_BURST_DAY_MINIMUM - 1, datetime.datetime(2026, 9, 15, 10, 0, tzinfo=local))
    assert not lookup_stats.daily_counts(days=8)[0].burst


def test_the_staff_page(client, carol, django_assert_max_num_queries):
    events(LOOKUP_BURST_PER_HOUR, NOW - datetime.timedelta(minutes=10), ip="d" * 16)
    client.force_login(carol)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("certificates:staff_lookup_stats"))
    html = response.content.decode()
    assert response.status_code == 200 and "d" * 16 in html and 'data-testid="daily-counts"' in html


def test_who_sees_the_statistics(client, alice, dave, erin):
    url = reverse("certificates:staff_lookup_stats")
    assert client.get(url).status_code == 302
    for person, status in ((alice, 403), (erin, 403), (dave, 200)):
        client.force_login(person)
        assert client.get(url).status_code == status
