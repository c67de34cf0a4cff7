"""Per-IP rate limits for public endpoints (lookups, objections, complaints), on the Django cache.

Use a shared cache (CACHE_URL=redis://...) when several processes serve: a local-memory cache counts
per process."""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_ip(request) -> str:
    # Behind a proxy, set RATELIMIT_TRUST_FORWARDED=True so the first X-Forwarded-For hop is used.
    if getattr(settings, "RATELIMIT_TRUST_FORWARDED", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def hashed_ip(request) -> str:
    """A salted hash of the client address, for logs that must not keep addresses."""
    return hashlib.sha256((settings.SECRET_KEY + client_ip(request)).encode()).hexdigest()[:16]


def parse_rate(rate: str) -> tuple[int, int]:
    count, per = rate.split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[per]
    return int(count), seconds


def hit(key: str, rate: str) -> bool:
    """Counts one hit; True when the caller is over the limit for the current window."""
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    cache_key = f"rl:{key}:{bucket}"
    count = _redis_incr(cache_key, window + 1)
    if count is None:
        cache.add(cache_key, 0, timeout=window + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # evicted between add and incr
            cache.set(cache_key, 1, timeout=window + 1)
            count = 1
    return count > limit


_INCR_WITH_EXPIRY = (
    "local c = redis.call('INCR', KEYS[1]) if c == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return c"
)
_redis_scripts: dict = {}


def _redis_incr(cache_key: str, timeout: int) -> int | None:
    """On Django's Redis cache: the same count in one round trip, on a client kept per process (Django
    builds a new redis-py client for every cache call, which cost more than the round trips themselves:
    bench/lookup.py). None for other cache backends."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    pool = backend._cache._get_connection_pool(write=True)
    script = _redis_scripts.get(id(pool))
    if script is None:
        import redis

        script = _redis_scripts[id(pool)] = redis.Redis(connection_pool=pool).register_script(
            _INCR_WITH_EXPIRY
        )
    return int(script(keys=[backend.make_and_validate_key(cache_key)], args=[timeout]))


def ratelimit(scope: str, rate_setting: str, default: str = "30/m", methods=("GET", "POST")):
    """Refuses with the Chinese 429 page once an IP exceeds the rate named by ``rate_setting``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                rate = getattr(settings, rate_setting, default)
                if hit(f"{scope}:{client_ip(request)}", rate):
                    return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
