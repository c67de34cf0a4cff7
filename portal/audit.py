"""Named audit events and in-portal notifications.

Each thing that happens has one event name with a short text (Open Forms style), registered by the
app that owns it with :func:`register`. :func:`record` appends a row to the audit trail."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast

from .models import AuditEvent, Notification

EVENTS: dict[str, str] = {}  # filled by each app's events.py (portal/events.py for portal's own)


def register(**events) -> None:
    """Apps add their events at import time: ``register(filing_submitted=_("提交备案申请"))``."""
    EVENTS.update(events)


def label(event: str) -> str:
    return str(EVENTS.get(event, event))


def record(event, target=None, actor=None, *, from_state="", to_state="", comment="", internal=False, **data):
    if event not in EVENTS:
        raise KeyError(f"unknown audit event {event!r}: register it first")
    row = AuditEvent(
        event=event,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_state=from_state or "",
        to_state=to_state or "",
        comment=comment or "",
        internal=internal,
        data=data,
    )
    if target is not None:
        row.target_type = ContentType.objects.get_for_model(target)
        row.target_id = str(target.pk)
    row.save()
    return row


def trail(target, *, include_internal=True):
    """The events of one object, oldest first."""
    rows = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor__institution")
    if not include_internal:
        rows = rows.filter(internal=False)
    return rows


def entered_state(model, state_field: str = "state"):
    """An expression for a queryset of ``model``: when each row entered its current state (the newest
    event of its trail whose ``to_state`` is that state), or NULL when its trail has none. Annotate and
    coalesce with the row's own date: ``Coalesce(entered_state(ChangeRequest), "requested_at")``."""
    events = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(model),
        target_id=Cast(OuterRef("pk"), CharField()),
        to_state=OuterRef(state_field),
    ).order_by("-at")
    return Subquery(events.values("at")[:1])


def notify(user, text, url=""):
    if user is None:
        return None
    return Notification.objects.create(user=user, text=str(text)[:300], url=url)


# The unread count every logged-in page shows: kept in the cache per user, forgotten when a notification
# of the user is saved or deleted (portal/signals.py) or all are marked read (mark_all_read).
UNREAD_CACHE_SECONDS = 120


def _unread_key(user_id) -> str:
    return f"portal:unread:{user_id}"


def unread_count(user) -> int:
    from django.core.cache import cache

    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = user.notifications.filter(read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread_count(user_id) -> None:
    """Drops the cached count now and again after commit (a page rendered meanwhile may have cached
    the count of before the commit)."""
    from django.core.cache import cache
    from django.db import transaction

    key = _unread_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def mark_read(user, pk) -> bool:
    """Marks one of the user's notifications read; False when it is not theirs (or not there). Already
    read stays as it was."""
    from django.utils import timezone

    found = user.notifications.filter(pk=pk)
    if not found.exists():
        return False
    if found.filter(read_at__isnull=True).update(read_at=timezone.now()):
        forget_unread_count(user.pk)
    return True


def mark_all_read(user) -> int:
    from django.utils import timezone

    marked = user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    forget_unread_count(user.pk)
    return marked
