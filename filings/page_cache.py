"""Rendered parts of the two busiest read pages, kept in the cache until what they show changes (issue 9
"Load": the public directory and the staff review queue under 32 concurrent clients).

Each page has a version in the cache; a cached fragment's key holds the version it was rendered under, so
bumping the version invalidates all of the page's fragments at once. Invalidation is by signals, not by a
short lifetime: every save or delete of a model the page shows bumps its version, immediately and again
after commit (a request that read the old rows just before the commit cannot keep them under the version
of after the commit). The portal writes these models through save() (workflow, after_filing, the admin), so
the signals see every change. The lifetimes below are only a safety net for writes that bypass signals
(QuerySet.update(), COPY, a restored backup): those show within that time.

- directory (filings:directory): filed institutions, their scope and public sanctions, occupation names
  (Filing: record filing, approved change, renewal, cancellation, revocation; FilingOccupation; Sanction;
  Occupation).
- queue (filings:queue): the filings in the staff queues, their scope (the occupation filter),
  occupation names and the assignees' names (User; a log-in saves the user too, which is harmless).

Keys also hold the language, the day (statuses and deadline colours change at midnight) and the query
string as sent (filters and page; the pagination links repeat it)."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from portal.models import Occupation

from .models import Filing, FilingOccupation, Sanction

DIRECTORY = "directory"
QUEUE = "queue"
# What each page shows: a save or delete of one of these models bumps the page's version.
SHOWN = {
    DIRECTORY: (Filing, FilingOccupation, Sanction, Occupation),
    QUEUE: (Filing, FilingOccupation, Occupation, settings.AUTH_USER_MODEL),
}
SECONDS = {DIRECTORY: 600, QUEUE: 60}  # safety net only (see above)


def _version_key(page: str) -> str:
    return f"filings:page:{page}:version"


def version(page: str) -> str:
    current = cache.get(_version_key(page))
    if current is None:
        cache.add(_version_key(page), uuid.uuid4().hex, None)
        current = cache.get(_version_key(page)) or "evicted"
    return current


def bump(page: str) -> None:
    cache.set(_version_key(page), uuid.uuid4().hex, None)


def _fragment_key(page: str, page_version: str, parts) -> str:
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f"filings:page:{page}:{page_version}:{digest}"


def key(page: str, *parts) -> str:
    """The cache key of one rendered fragment of ``page`` under its current version."""
    return _fragment_key(page, version(page), parts)


_last_seen: dict[str, str] = {}  # page -> the version this process read last


def get(page: str, *parts) -> tuple[str, str | None]:
    """(key, the cached fragment or None). One round trip while the version stays what this process
    read last: the version and the fragment under it are read together."""
    guess = _last_seen.get(page)
    if guess is not None:
        fragment_key = _fragment_key(page, guess, parts)
        found = cache.get_many([_version_key(page), fragment_key])
        if found.get(_version_key(page)) == guess:
            return fragment_key, found.get(fragment_key)
    _last_seen[page] = current = version(page)
    fragment_key = _fragment_key(page, current, parts)
    return fragment_key, cache.get(fragment_key)


def put(page: str, fragment_key: str, fragment: str) -> None:
    cache.set(fragment_key, fragment, SECONDS[page])


def _receiver(page: str):
    def changed(sender, **kwargs) -> None:
        bump(page)
        transaction.on_commit(lambda: bump(page))

    return changed


def connect() -> None:
    """Called from FilingsConfig.ready()."""
    for page, models in SHOWN.items():
        changed = _receiver(page)
        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(changed, sender=model, weak=False, dispatch_uid=f"filings-page-{page}-{model}")
