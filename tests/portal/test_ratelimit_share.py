"""The rate limit's local share (portal.ratelimit.LocalShare) on a real Redis: hits granted without a
round trip, the limit exact for one process, bounded for several, pending hits pushed once a second."""

import os

import pytest
import time_machine

from portal import ratelimit

WINDOW = 60
T0 = 1_800_000_000.0  # a fixed instant, 20 s into its minute: every hit below falls in one window
WINDOW_ENDS = (int(T0 // WINDOW) + 1) * WINDOW


@pytest.fixture
def shared_redis(settings, redis_cache):
    settings.RATELIMIT_SYNC_SECONDS = 1.0
    ratelimit._local_share.reset()
    yield redis_cache
    ratelimit._local_share.reset()


def shared_total(client, key) -> int:
    value = client.get(f"{client.key_prefix}:1:{key}")
    return int(value) if value is not None else 0


def hits(share, key, limit, n, processes, now=T0):
    counter = ratelimit._redis_counter()
    return [share.hit(counter, key, limit, WINDOW, WINDOW_ENDS, now, processes) for _ in range(n)]


def test_first_hits_need_no_round_trip_and_the_limit_is_exact_for_one_process(shared_redis):
    share = ratelimit.LocalShare()
    # limit 12, 3 processes: a share of 12 / (2 x 3) = 2 hits granted before Redis is asked.
    assert hits(share, "rl:a", 12, 2, processes=3) == [False, False]
    assert shared_total(shared_redis, "rl:a") == 0
    over = hits(share, "rl:a", 12, 2, processes=3)
    assert over == [False, False] and shared_total(shared_redis, "rl:a") == 3
    # Just under, exactly at and just over the limit, judged on the shared count.
    assert hits(share, "rl:a", 12, 8, processes=3) == [False] * 8
    assert hits(share, "rl:a", 12, 2, processes=3) == [True, True]


def test_limits_below_two_shares_ask_redis_every_time(shared_redis):
    share = ratelimit.LocalShare()
    assert hits(share, "rl:b", 5, 1, processes=3) == [False]
    assert shared_total(shared_redis, "rl:b") == 1
    assert hits(share, "rl:b", 5, 5, processes=3) == [False] * 4 + [True]


@pytest.mark.parametrize("processes", [2, 3, 5])
def test_several_processes_stay_under_one_and_a_half_times_the_limit(shared_redis, processes):
    """A client whose burst is spread round-robin over every process within one second (the worst
    case): the shared count catches it at limit x (1 + (N-1)/2N) at the latest, then refuses."""
    limit = 60
    workers = [ratelimit.LocalShare() for _ in range(processes)]
    counter = ratelimit._redis_counter()
    granted = 0
    for i in range(10 * limit):
        if not workers[i % processes].hit(counter, "rl:c", limit, WINDOW, WINDOW_ENDS, T0, processes):
            granted += 1
    assert limit <= granted <= limit * (1 + (processes - 1) / (2 * processes))
    # Once the shared count is over, every process refuses for the rest of the window.
    for worker in workers:
        assert worker.hit(counter, "rl:c", limit, WINDOW, WINDOW_ENDS, T0 + 30, processes) is True


def test_pending_hits_reach_redis_once_a_second_and_ended_windows_are_forgotten(shared_redis):
    share = ratelimit.LocalShare()
    hits(share, "rl:d", 100, 3, processes=2)  # the first call synced (nothing pending), then 3 local grants
    assert shared_total(shared_redis, "rl:d") == 0
    hits(share, "rl:d", 100, 1, processes=2, now=T0 + 0.5)  # within the second: still local
    assert shared_total(shared_redis, "rl:d") == 0
    hits(share, "rl:d", 100, 1, processes=2, now=T0 + 1.0)  # a second on: the 4 pending pushed first
    assert shared_total(shared_redis, "rl:d") == 4
    assert share.entries["rl:d"][:2] == [4, 1]
    hits(share, "rl:e", 100, 1, processes=2, now=WINDOW_ENDS + 1)  # the next window: rl:d dropped
    assert "rl:d" not in share.entries and "rl:e" in share.entries


def test_a_forked_worker_starts_with_no_counts(shared_redis):
    ratelimit._local_share.entries["rl:parent"] = [0, 7, WINDOW_ENDS, WINDOW + 1]
    pid = os.fork()
    if pid == 0:  # the child: exit code 0 only when the parent's counts are gone
        os._exit(0 if not ratelimit._local_share.entries else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert ratelimit._local_share.entries  # the parent keeps its own


@pytest.mark.django_db
@time_machine.travel(T0, tick=False)  # all 13 lookups in one minute
def test_the_lookup_page_counts_through_the_share(client, settings, shared_redis):
    """Through the view: 12 lookups a minute with 3 processes: the 12th passes, the 13th gets 429."""
    from tests.certificates.factories import CertificateFactory
    from tests.certificates.test_lookup import by_code

    settings.RATELIMIT_PROCESSES = 3
    settings.CERTIFICATE_LOOKUP_RATE = "12/m"
    cert = CertificateFactory(holder_name="黄鑫")
    statuses = [by_code(client, cert.code, "黄鑫").status_code for _ in range(13)]
    assert statuses == [200] * 12 + [429]


def test_one_request_is_counted_once_however_often_it_asks(settings):
    """request_hit: a view run again on the same request (the fast lane's retry) gets the first answer;
    another request of the same client, or another scope, is counted afresh."""
    from django.core.cache import cache
    from django.test import RequestFactory

    cache.clear()
    factory = RequestFactory()
    first = factory.get("/", REMOTE_ADDR="198.51.100.7")
    with time_machine.travel(T0, tick=False):
        assert [ratelimit.request_hit(first, "scope", "2/m") for _ in range(3)] == [False] * 3
        second = factory.get("/", REMOTE_ADDR="198.51.100.7")
        assert ratelimit.request_hit(second, "scope", "2/m") is False  # at the limit
        assert ratelimit.request_hit(second, "other", "2/m") is False
        third = factory.get("/", REMOTE_ADDR="198.51.100.7")
        assert [ratelimit.request_hit(third, "scope", "2/m") for _ in range(2)] == [True, True]
    cache.clear()
