"""Periodic tasks of portal (merged into CELERY_BEAT_SCHEDULE by the settings; plain data, read before
the apps are loaded, so it imports none of portal's modules)."""

# The beat runs the outbox sweep (portal.outbox.sweep) this often, in seconds: a mail whose task was lost
# waits at most about this plus portal.outbox.CLAIM_TIMEOUT.
SWEEP_EVERY_SECONDS = 180

# The worker's heartbeat for /readyz (portal.health): written this often, stale after about two misses.
WORKER_HEARTBEAT_SECONDS = 60

BEAT_SCHEDULE = {
    "portal-worker-heartbeat": {
        "task": "portal.worker_heartbeat",
        "schedule": float(WORKER_HEARTBEAT_SECONDS),
        "options": {"expires": float(WORKER_HEARTBEAT_SECONDS)},  # a late beat is no heartbeat
    },
    # Mails whose task was lost (a killed worker, a queue emptied by a Redis restart) or whose retry is
    # due are sent; a claim taken by another sender is skipped, so overlapping runs send each mail once.
    "portal-sweep-outbox": {
        "task": "portal.sweep_outbox",
        "schedule": float(SWEEP_EVERY_SECONDS),
    },
}
