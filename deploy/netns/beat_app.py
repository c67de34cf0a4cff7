"""The cluster's beat (deploy/netns, issue 41): the portal's Celery app and its whole schedule, plus one
entry that sends ``portal.ping`` every BEAT_TICK_SECONDS, so that a test counts within seconds how often
the beat had a periodic task run (the portal's own entries come once a minute or less often)."""

from django.conf import settings

from portal.celery import app

BEAT_TICK_SECONDS = 1.0
TICK_ENTRY = "cluster-tick"

app.conf.beat_schedule = {
    **settings.CELERY_BEAT_SCHEDULE,
    TICK_ENTRY: {"task": "portal.ping", "schedule": BEAT_TICK_SECONDS, "options": {"expires": 30.0}},
}
