"""Settings of bench/load.py: the portal's production settings (DEBUG off) for a plain-http loopback rig.

What differs from production, and why:
- ROOT_URLCONF = bench.load_urls (the portal's URLs plus the two bench baselines);
- no https redirect, no secure-only cookies, no HSTS (wrk speaks plain http on loopback);
- static files without the manifest (the bench does not run collectstatic);
- a Redis cache shared by the gunicorn workers, and the public certificate lookup rate limit raised to
  CERTIFICATE_LOOKUP_RATE = 1000000000/s: the rate limit still runs (its cost is measured), but wrk from
  one address would otherwise get 429 after 20 requests; the directory's FILING_DIRECTORY_RATE likewise;
- the certificate lookup log buffered (CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS=1, the production
  recommendation of certificates/lookup_log.py; set it to 0 in the environment to measure the unbuffered
  log).
"""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-load-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from portal.settings import *  # noqa: E402,F403

DEBUG = False
ROOT_URLCONF = "bench.load_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"),
    }
}
# As portal/settings.py chooses with a Redis CACHE_URL (production): sessions read through the cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CERTIFICATE_LOOKUP_RATE = "1000000000/s"
FILING_DIRECTORY_RATE = "1000000000/s"  # the public directory's per-IP limit (filings), raised likewise
# The lookup log as recommended for production (certificates/lookup_log.py): buffered per process and
# written once a second as one multi-row INSERT. With 0 (the default, what the tests use) every lookup
# pays an INSERT and its commit: about 4 ms of the API's 7.6 ms measured in-process on this machine.
CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS = float(os.environ.get("CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS", "1"))
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
