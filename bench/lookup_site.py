"""The site bench/lookup.py serves with gunicorn: the portal's settings for a production-like run, with
bench-only endpoints that exist only here, never in the portal's URLconf:

- ``/bench/baseline?code=...``: the minimal lookup view, the floor of any lookup: one indexed SELECT by
  code through the ORM, JSON out, served by Django with the portal's middleware (this module is the
  URLconf: the portal's URLs plus this view), but no template, no rate limit, no log, no signature.
- ``/bench/bare?code=...``: the same SELECT answered before Django's handler: no middleware at all.
- ``/bench/constant``: a constant JSON answer before Django's handler: the ceiling of gunicorn + wrk.

Everything else (the verification page, the API) goes through the whole Django stack as in production.
Used as DJANGO_SETTINGS_MODULE=bench.lookup_site and as the gunicorn app bench.lookup_site:application.
"""

import json
import os
from urllib.parse import parse_qs

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")

from portal.settings import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Plain http on loopback: no https redirect or secure-only cookies.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Templates use {% static %}; the bench does not run collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The rate limit runs (its cost is measured) on a shared Redis cache as in production, with a budget
# wrk cannot exhaust.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"),
    }
}
if os.environ.get("BENCH_CACHE_URL") == "locmem":
    # bench/lookup.py --cache locmem: the rate limit counted per process, without the Redis round
    # trip (what the shared count costs; not a production setting with several processes).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CERTIFICATE_LOOKUP_RATE = "1000000000/s"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

_django = None


def _json(start_response, status: str, data: dict):
    body = json.dumps(data, ensure_ascii=False).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _minimal_lookup(code: str):
    """One indexed SELECT by code through the ORM; the row as a dict, or None."""
    from certificates.models import Certificate

    row = (
        Certificate.objects.filter(code=code)
        .values("code", "holder_name", "occupation_name", "level", "institution_name", "issue_date", "status")
        .first()
    )
    if row is not None:
        row["issue_date"] = row["issue_date"].isoformat()
    return row


def baseline_view(request):
    """The minimal lookup view, served by Django like the portal's views (same middleware): the floor
    the issue compares the verification page and the API with."""
    from django.http import JsonResponse

    row = _minimal_lookup(request.GET.get("code", ""))
    return JsonResponse(row or {"detail": "not_found"}, status=200 if row else 404)


def _bare_lookup(environ, start_response):
    from django.core import signals

    # The two signals are what Django's handler does around a request for the database connection
    # (persistent connections, health checks); nothing else of the request cycle runs.
    signals.request_started.send(sender=None, environ=environ)
    try:
        row = _minimal_lookup(parse_qs(environ.get("QUERY_STRING", "")).get("code", [""])[0])
        if row is None:
            return _json(start_response, "404 Not Found", {"detail": "not_found"})
        return _json(start_response, "200 OK", row)
    finally:
        signals.request_finished.send(sender=None)


# The URLconf of the benched site: the portal's URLs plus the baseline view.
ROOT_URLCONF = "bench.lookup_urls"


def application(environ, start_response):
    global _django
    if _django is None:
        from django.core.wsgi import get_wsgi_application

        from portal.fastlane import FastLane

        _django = FastLane(get_wsgi_application())  # as portal/wsgi.py serves it
    route = environ.get("PATH_INFO", "")
    if route == "/bench/bare":
        return _bare_lookup(environ, start_response)
    if route == "/bench/constant":
        return _json(start_response, "200 OK", {"ok": True})
    return _django(environ, start_response)
