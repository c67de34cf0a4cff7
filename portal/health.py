"""Health for load balancers (issue 41 item 3).

- ``/healthz``: the process answers (liveness: restart it when this fails). It reads nothing shared, so
  a database outage does not make an orchestrator restart every web process at once.
- ``/readyz``: the process can serve (readiness: send it no traffic when this fails): PostgreSQL, the
  cache (Redis in production) and the Celery broker answer, each within its own time bound. The worker's
  heartbeat (a beat task every WORKER_HEARTBEAT_SECONDS, portal.schedule) is reported beside them but does
  not fail readiness: pages still serve while the worker restarts, and mail waits in the outbox."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .schedule import WORKER_HEARTBEAT_SECONDS


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


# The age past which the worker's heartbeat reads as stale: two missed beats and some slack.
WORKER_HEARTBEAT_KEY = "health:worker-heartbeat"
WORKER_HEARTBEAT_STALE_SECONDS = 2 * WORKER_HEARTBEAT_SECONDS + 30


def beat() -> None:
    """Run by the worker (portal.tasks.worker_heartbeat, from beat): the time it last ran a task."""
    cache.set(WORKER_HEARTBEAT_KEY, time.time(), timeout=None)


def worker_state() -> dict:
    if not settings.CELERY_BROKER_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "note": "eager"}
    try:
        last = cache.get(WORKER_HEARTBEAT_KEY)
    except Exception as error:  # the cache's own check says it is down
        return {"ok": False, "error": type(error).__name__}
    if last is None:
        return {"ok": False, "error": "no heartbeat yet"}
    age = round(time.time() - float(last), 1)
    return {"ok": age <= WORKER_HEARTBEAT_STALE_SECONDS, "age_s": age}


@never_cache
def healthz(request):
    return JsonResponse({"ok": True})


@never_cache
def readyz(request):
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
    results["worker"] = worker_state()  # reported, not required (see the module's docstring)
    return JsonResponse({"ok": healthy, "checks": results}, status=200 if healthy else 503)
