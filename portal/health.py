"""/healthz for load balancers: database, cache and (when configured) the Celery broker."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    key = "healthz:probe"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value it was given")


def _check_broker():
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from portal.celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return None


@never_cache
def healthz(request):
    results = {}
    healthy = True
    for name, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        started = time.monotonic()
        try:
            note = check()
            results[name] = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
            if note:
                results[name]["note"] = note
        except Exception as error:  # a health check reports, it does not raise
            healthy = False
            results[name] = {"ok": False, "error": type(error).__name__}
    return JsonResponse({"ok": healthy, "checks": results}, status=200 if healthy else 503)
