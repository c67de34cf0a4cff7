"""Per-IP rate limits for public endpoints (lookups, objections, complaints), on the Django cache.

Use a shared cache (CACHE_URL=redis://...) when several processes serve: a local-memory cache counts
per process."""

import functools
import hashlib
import ipaddress
import math
import os
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request) -> str:
    """The client's address: the one place that reads it (rate limits, login lockout, log hashes).

    Without RATELIMIT_TRUST_FORWARDED, the peer (REMOTE_ADDR). Behind RATELIMIT_TRUSTED_PROXIES = N
    proxies, each appending the address it saw to X-Forwarded-For, the N-th entry from the right: the
    entries left of it were written by the client and prove nothing. A header with fewer than N entries,
    or a malformed entry, gives the peer. Addresses come back in one spelling (no port, IPv6 compressed
    and lower case, IPv4-mapped IPv6 as IPv4) so that one client has one budget."""
    remote = request.META.get("REMOTE_ADDR", "")
    peer = _address(remote) or remote
    if not getattr(settings, "RATELIMIT_TRUST_FORWARDED", False):
        return peer
    proxies = getattr(settings, "RATELIMIT_TRUSTED_PROXIES", 1)
    if proxies < 1:
        return peer
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", proxies)
    if len(entries) < proxies:
        return peer
    return _address(entries[-proxies]) or peer


@functools.lru_cache(maxsize=4096)
def _address(entry: str) -> str | None:
    """One X-Forwarded-For entry as an address ("203.0.113.9", "203.0.113.9:4711", "2001:db8::1",
    "[2001:db8::1]:4711"), or None when it is not one. Kept for the recent entries (issue 42: a public
    lookup reads its client's address twice, for the rate limit and the log's hash, and parsing it with
    ipaddress was 3 % of the verify page's CPU)."""
    entry = entry.strip()
    if entry.startswith("["):  # [IPv6] or [IPv6]:port
        host, bracket, rest = entry[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and _is_port(rest[1:]))):
            return None
        entry = host
    elif entry.count(":") == 1:  # IPv4:port
        entry, _, port = entry.partition(":")
        if not _is_port(port):
            return None
    try:
        address = ipaddress.ip_address(entry)
    except ValueError:
        return None
    # ::ffff:203.0.113.9 (a dual-stack socket's spelling of an IPv4 client) is 203.0.113.9.
    return str(getattr(address, "ipv4_mapped", None) or address)


def _is_port(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 5


def client_key(request) -> str:
    """The budget a client is counted on (rate limits, login lockout): an IPv4 client's address, an
    IPv6 client's network of settings.RATELIMIT_IPV6_PREFIX bits ("2001:db8:1:2::/64"), since one
    subscriber usually gets a whole /64 and may rotate addresses inside it at will (issue 30)."""
    address = client_ip(request)
    if ":" not in address:
        return address
    prefix = settings.RATELIMIT_IPV6_PREFIX
    try:
        return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
    except ValueError:  # an unparsed peer address: counted as it is
        return address


def hashed_ip(request) -> str:
    """A salted hash of the client address, for logs that must not keep addresses."""
    return _salted_hash(settings.SECRET_KEY, client_ip(request))


@functools.lru_cache(maxsize=4096)
def _salted_hash(secret: str, address: str) -> str:
    # Kept for the recent addresses, like _address: a client's lookups hash the same text again (issue 42
    # item 1). Keyed by the secret too, so a changed SECRET_KEY (tests) hashes afresh.
    return hashlib.sha256((secret + address).encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=64)  # the few configured rates, parsed once each
def parse_rate(rate: str) -> tuple[int, int]:
    count, per = rate.split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[per]
    return int(count), seconds


def hit(key: str, rate: str) -> bool:
    """Counts one hit; True when the caller is over the limit for the current window."""
    limit, window = parse_rate(rate)
    now = time.time()
    bucket = int(now // window)
    cache_key = f"rl:{key}:{bucket}"
    redis_count = _redis_counter()
    if redis_count is not None:
        processes = getattr(settings, "RATELIMIT_PROCESSES", 0)
        if processes > 0:
            return _local_share.hit(
                redis_count, cache_key, limit, window, (bucket + 1) * window, now, processes
            )
        return redis_count(cache_key, 1, window + 1) > limit
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    return count > limit


def request_hit(request, scope: str, rate: str) -> bool:
    """hit() for this request's client (client_key) on ``scope``, counted once a request: a view run
    again on the same request gets the first answer instead of spending a second hit. The fast lane runs a
    view once more when its database connection was found dead (portal/fastlane.py,
    retried_on_lost_connection), after the view had already counted its lookup: a visitor was refused
    before the limit (tests/cluster, 39 of 40 lookups answered after a test had restarted the database)."""
    answers = request.__dict__.setdefault("ratelimit_answers", {})
    key = f"{scope}:{client_key(request)}"
    if key not in answers:
        answers[key] = hit(key, rate)
    return answers[key]


def seconds_left(rate: str) -> int:
    """Seconds until the current window of ``rate`` ends, when hit() counts afresh (at least 1): what a
    refused client waits (issue 29 item 11b)."""
    _limit, window = parse_rate(rate)
    now = time.time()
    return max(1, math.ceil((int(now // window) + 1) * window - now))


def wait_text(seconds: int) -> str:
    """ "45 秒", "3 分钟", "2 小时": a wait rounded up to the unit a person reads."""
    if seconds < 60:
        return _("%(n)s 秒") % {"n": seconds}
    if seconds < 3600:
        return _("%(n)s 分钟") % {"n": math.ceil(seconds / 60)}
    return _("%(n)s 小时") % {"n": math.ceil(seconds / 3600)}


def too_many(request, rate: str, template: str = "429.html", context: dict | None = None):
    """The Chinese 429 page saying how long to wait, with that wait in Retry-After."""
    wait = seconds_left(rate)
    response = render(request, template, {**(context or {}), "wait": wait_text(wait)}, status=429)
    response["Retry-After"] = str(wait)
    return response


# INCRBY, and the expiry set by whoever created the key, in one round trip.
_INCRBY_WITH_EXPIRY = (
    "local c = redis.call('INCRBY', KEYS[1], ARGV[2]) "
    "if c == tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return c"
)
# The same for many keys in one script call (LocalShare.sync): KEYS[i] gets ARGV[2i] more hits, and the
# expiry ARGV[2i-1] when the call created it; the new totals in KEYS' order. One EVALSHA instead of a
# pipeline of one per key, which redis-py packed argument by argument and preceded with SCRIPT EXISTS on
# every execute (issue 42 item 1: the per-second sync was about 5 % of the verification page's CPU).
_INCRBY_MANY_WITH_EXPIRY = (
    "local totals = {} "
    "for i, key in ipairs(KEYS) do "
    "local n = tonumber(ARGV[2 * i]) "
    "local c = redis.call('INCRBY', key, n) "
    "if c == n then redis.call('EXPIRE', key, ARGV[2 * i - 1]) end "
    "totals[i] = c "
    "end return totals"
)
_redis_scripts: dict = {}


def _redis_counter():
    """On Django's Redis cache: ``count(cache_key, n, timeout) -> new total`` in one round trip, on a
    client kept per process (Django builds a new redis-py client for every cache call, which cost more
    than the round trips themselves: bench/lookup.py). None for other cache backends."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    pool = backend._cache._get_connection_pool(write=True)
    counter = _redis_scripts.get(id(pool))
    if counter is None:
        import redis

        client = redis.Redis(connection_pool=pool)
        script = client.register_script(_INCRBY_WITH_EXPIRY)

        def counter(cache_key, n, timeout, *, _script=script, _key=backend.make_and_validate_key):
            return int(_script(keys=[_key(cache_key)], args=[timeout, n]))

        many = client.register_script(_INCRBY_MANY_WITH_EXPIRY)

        def count_many(items, *, _script=many, _key=backend.make_and_validate_key):
            """[(cache_key, n, timeout)] -> totals, in one round trip."""
            if not items:
                return []
            args = []
            for _cache_key, n, timeout in items:
                args += (timeout, n)
            totals = _script(keys=[_key(cache_key) for cache_key, _n, _timeout in items], args=args)
            return [int(total) for total in totals]

        counter.many = count_many
        _redis_scripts[id(pool)] = counter
    return counter


# A process grants on its own at most 1/(SHARE_DIVISOR x N) of what is left: 2 keeps a burst spread over
# every process under 1.5 x the limit (LocalShare).
SHARE_DIVISOR = 2


class LocalShare:
    """Grants most hits without a round trip to the shared count, and keeps close to the limit.

    With N processes sharing one count (settings.RATELIMIT_PROCESSES), each process may grant on its own
    up to 1/(2N) of what the shared count last said was left; a hit beyond that asks Redis (adding the
    hits granted here so far) and is judged on the shared total. Pending hits also reach Redis once a
    second (RATELIMIT_SYNC_SECONDS). Only the other processes' unreported shares escape the shared total,
    so a window admits at most limit x (1 + (N-1)/2N), under 1.5 x the limit, and that only for a client
    spreading a burst over every process within one second. Limits smaller than 2N (5 objections an
    hour) leave no share: every hit asks Redis. An ordinary visitor's few lookups never wait for Redis."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        # cache_key -> [shared total last read, hits granted here since, window end, expiry]
        self.entries: dict[str, list] = {}
        self.synced_at = 0.0

    def hit(self, count, cache_key, limit, window, window_ends, now, processes) -> bool:
        with self.lock:
            if now - self.synced_at >= getattr(settings, "RATELIMIT_SYNC_SECONDS", 1.0):
                self.synced_at = now
                self.sync(count, now)
            entry = self.entries.get(cache_key)
            if entry is None:
                entry = self.entries[cache_key] = [0, 0, window_ends, window + 1]
            if entry[0] + (entry[1] + 1) * SHARE_DIVISOR * processes <= limit:
                entry[1] += 1
                return False
            pending, entry[1] = entry[1], 0
        total = count(cache_key, pending + 1, window + 1)
        with self.lock:
            entry[0] = max(entry[0], total)
        return total > limit

    def sync(self, count, now):
        """Pending hits to Redis and the shared totals back; windows that have ended are forgotten."""
        for cache_key in [k for k, entry in self.entries.items() if entry[2] <= now]:
            del self.entries[cache_key]
        pending = [(k, entry) for k, entry in self.entries.items() if entry[1]]
        if not pending:
            return
        totals = count.many([(k, entry[1], entry[3]) for k, entry in pending])
        for (_cache_key, entry), total in zip(pending, totals, strict=True):
            entry[0], entry[1] = total, 0


_local_share = LocalShare()
# A forked worker starts with no counts of its parent's.
os.register_at_fork(after_in_child=_local_share.reset)


def ratelimit(scope: str, rate_setting: str, default: str = "30/m", methods=("GET", "POST")):
    """Refuses with the Chinese 429 page once a client (client_key) exceeds the rate named by ``rate_setting``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                rate = getattr(settings, rate_setting, default)
                if request_hit(request, scope, rate):
                    return too_many(request, rate)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
