"""Writing the lookup log (certificates.models.LookupEvent) without slowing the public endpoints down.

Two modes, chosen by ``CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS`` (a Django setting, or the environment
variable of the same name):

- ``0`` (the default): each line is inserted at once, in the request. Simple, and what the tests use.
- ``> 0`` (recommended in production, e.g. ``1``): lines are kept in a per-process buffer and written by
  a background thread every that many seconds (sooner once :data:`FLUSH_EARLY_AT` lines wait): one
  COPY on PostgreSQL, a multi-row INSERT elsewhere. A line waits as a plain tuple: building a model
  instance per line and Django's bulk INSERT cost about 35 us a line in all, COPY of tuples a fraction
  of that (bench/lookup.py, where the log is written once per verification). A visitor's request then
  costs a list append instead of an INSERT and its commit; a process killed with SIGKILL loses at most that interval of log lines (a
  graceful stop writes them at exit). The staff statistics lag by the same interval.

A line written while the caller is inside a transaction (``connection.in_atomic_block``) is always
inserted at once, in that transaction.
"""

import atexit
import logging
import os
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import constants
from .models import LookupEvent

logger = logging.getLogger(__name__)

COLUMNS = ("at", "kind", "outcome", "ip_hash", "code")
FLUSH_EARLY_AT = 500  # lines waiting: wake the writer before its interval
BUFFER_LIMIT = 50_000  # lines kept at most while the database is unreachable (oldest dropped first)


def flush_seconds() -> float:
    value = getattr(settings, "CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS", None)
    if value in (None, ""):
        value = os.environ.get("CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS", 0)
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 0.0


class _Buffer:
    """The waiting lines of this process and the thread that writes them."""

    def __init__(self):
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.rows: list[tuple] = []  # values in the order of COLUMNS
        self.thread: threading.Thread | None = None


_buffer = _Buffer()


def write(line: tuple) -> None:
    """One line, its values in the order of COLUMNS."""
    interval = flush_seconds()
    if interval <= 0 or connection.in_atomic_block:
        LookupEvent.objects.create(**dict(zip(COLUMNS, line, strict=True)))
        return
    buffer = _current_buffer()
    with buffer.lock:
        buffer.rows.append(line)
        waiting = len(buffer.rows)
        if buffer.thread is None or not buffer.thread.is_alive():
            buffer.thread = threading.Thread(
                target=_writer, args=(buffer, interval), name="lookup-log-writer", daemon=True
            )
            buffer.thread.start()
    if waiting >= FLUSH_EARLY_AT:
        buffer.wake.set()


def flush() -> int:
    """Writes the waiting lines of this process now; returns how many were written."""
    buffer = _current_buffer()
    with buffer.lock:
        rows, buffer.rows = buffer.rows, []
    if not rows:
        return 0
    try:
        _insert(rows)
    except Exception:
        with buffer.lock:  # keep them for the next try, within bounds
            buffer.rows[:0] = rows
            del buffer.rows[: max(0, len(buffer.rows) - BUFFER_LIMIT)]
        raise
    return len(rows)


def _insert(rows: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_sql = f"COPY {LookupEvent._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:  # the psycopg 3 cursor under Django's wrapper
                for row in rows:
                    copy.write_row(row)
        return
    LookupEvent.objects.bulk_create(
        [LookupEvent(**dict(zip(COLUMNS, row, strict=True))) for row in rows], batch_size=1000
    )


def _current_buffer() -> _Buffer:
    """A forked process (gunicorn, Celery) starts with a buffer and a writer of its own."""
    global _buffer
    if _buffer.pid != os.getpid():
        _buffer = _Buffer()
    return _buffer


def _writer(buffer: _Buffer, interval: float) -> None:
    while True:
        buffer.wake.wait(interval)
        buffer.wake.clear()
        try:
            if flush():
                # This thread's own connection: one connect per interval is cheap, and nothing is left
                # open between writes (database restarts, test databases being dropped).
                connection.close()
        except Exception:
            logger.exception("writing the certificate lookup log failed; retrying")
            connection.close()


@atexit.register
def _flush_at_exit() -> None:
    if _buffer.pid == os.getpid() and _buffer.rows:
        try:
            flush()
        except Exception:
            logger.exception("could not write %s lookup log lines at exit", len(_buffer.rows))


def retention_days() -> int:
    return int(
        getattr(settings, constants.LOOKUP_LOG_RETENTION_SETTING, constants.LOOKUP_LOG_RETENTION_DAYS_DEFAULT)
    )


def purge(now=None) -> int:
    """Deletes the log lines older than the retention (a line exactly that old is kept), in chunks;
    returns how many went. Idempotent: a second run finds nothing."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    deleted = 0
    while True:
        ids = list(
            LookupEvent.objects.filter(at__lt=cutoff).values_list("pk", flat=True)[
                : constants.LOOKUP_LOG_PURGE_CHUNK
            ]
        )
        if not ids:
            return deleted
        deleted += LookupEvent.objects.filter(pk__in=ids).delete()[0]
