"""Names of this test run's own, so two checkouts (clones, git worktrees) run the suite at the same time
without sharing anything: the PostgreSQL test database and the Redis cache keys carry a run id.

The run id is ``TEST_RUN_ID`` when set, else a short hash of the checkout's path; pytest-xdist workers
add their own name (``gw0``...). Broker queues are per test already (tests/conftest.py celery_worker),
media roots are per test (tmp_path), ports are free ports (throwaway.py, live_server)."""

import hashlib
import os
from pathlib import Path

from django.core.cache.backends.redis import RedisCache

CHECKOUT = Path(__file__).resolve().parents[1]
# How long a test's Redis client waits for a connection or an answer before failing (not hanging).
REDIS_SOCKET_TIMEOUT = 5


def run_id() -> str:
    """This checkout's id: TEST_RUN_ID, or 8 hex digits of the checkout's path."""
    given = os.environ.get("TEST_RUN_ID", "").strip()
    if given:
        return "".join(c for c in given.lower() if c.isalnum() or c == "_")[:20] or "run"
    return hashlib.sha1(str(CHECKOUT).encode()).hexdigest()[:8]


def run_name() -> str:
    """The run id plus the pytest-xdist worker, if any: unique to one test process."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{run_id()}_{worker}" if worker else run_id()


def test_database_name(name: str) -> str:
    """The PostgreSQL test database of this checkout for the configured database ``name``."""
    return f"test_{name}_{run_id()}"


def drop_database(settings_dict: dict, name: str) -> None:
    """Drops ``name`` even while a killed run's connections still hold it (PostgreSQL 13+: FORCE)."""
    import psycopg

    conninfo = {
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": settings_dict.get("PORT") or 5432,
        "user": settings_dict.get("USER") or "postgres",
        "dbname": "postgres",
        "connect_timeout": 10,
    }
    if settings_dict.get("PASSWORD"):
        conninfo["password"] = settings_dict["PASSWORD"]
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class RunScopedRedisCache(RedisCache):
    """Django's Redis cache whose clear() deletes this run's keys only (Django's flushes the whole
    database, and with it another run's rate-limit counters)."""

    def clear(self):
        client = self._cache.get_client(None, write=True)
        batch = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 500:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True
