"""Shared fixtures: the people of the tests (healthchecks style) and a real Chromium for journeys.

alice is an applicant of institution A, bob an applicant of institution B, carol centre staff,
dave the bureau approver, erin an expert; anonymous visitors use the plain client."""

import os

import pytest

from portal import roles

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run inside one
# unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Markers follow the fixtures a test uses, so `make test-quick` (-m "not browser and not celery_worker
# and not faults") never starts a browser or a worker however a test was written.
MARKED_BY_FIXTURE = {"browser": "browser", "page": "browser", "celery_worker": "celery_worker"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture in getattr(item, "fixturenames", ()):
            marker = MARKED_BY_FIXTURE.get(fixture)
            if marker and not item.get_closest_marker(marker):
                item.add_marker(getattr(pytest.mark, marker))


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Test users get a fast hasher: PBKDF2's 1,000,000 iterations cost about 0.3 s a user, and the
    access and POST matrices alone create about 1,300 users. Session-wide (override_settings sends
    setting_changed, which empties Django's hasher cache), so module-scoped worlds get it too. A test
    that is about hashing sets the real hashers itself (settings.PASSWORD_HASHERS = [...])."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _continuous_intake(settings):
    """Filings are submitted at any time in the tests (continuous intake), so a test about something else
    needs no open application round; tests/filings/test_rounds.py sets the default, "rounds", itself."""
    settings.FILING_INTAKE = "continuous"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's language (zh-hans) and leaves it so: a test that renders in English
    (tests/portal/test_csrf_failure.py) must not leave the thread's language to the tests after it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    from portal import workdays

    workdays.clear_cache()
    yield
    workdays.clear_cache()


REDIS_TEST_CACHE = "redis://127.0.0.1:6379/13"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is this checkout's own (tests/isolation.py): test_portal_<run id>, plus the
    xdist worker's suffix. A database left by a killed run of this checkout is dropped first, even if
    a stray worker still holds a connection to it."""
    from django.conf import settings

    from tests import isolation

    for db_settings in settings.DATABASES.values():
        if not db_settings["ENGINE"].endswith("postgresql"):
            continue
        test = db_settings.setdefault("TEST", {})
        name = test.get("NAME") or f"test_{db_settings['NAME']}"
        if isolation.run_id() not in name:
            name = f"{name}_{isolation.run_id()}"
        test["NAME"] = name
        isolation.drop_database(db_settings, name)


@pytest.fixture
def redis_cache(settings):
    """Django's cache on a real Redis (db 13), as production shares it between processes, under a key
    prefix of this run's own ("t" + run name), emptied of this run's keys before and after. Yields a
    redis-py client of the same database; ``client.key_prefix`` is the prefix."""
    import redis
    from django.core.cache import cache

    from tests import isolation

    timeouts = {
        "socket_timeout": isolation.REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": isolation.REDIS_SOCKET_TIMEOUT,
    }
    client = redis.Redis.from_url(REDIS_TEST_CACHE, **timeouts)
    try:
        client.ping()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"t{isolation.run_name()}"
    client.key_prefix = prefix
    settings.CACHES = {
        "default": {
            "BACKEND": "tests.isolation.RunScopedRedisCache",
            "LOCATION": REDIS_TEST_CACHE,
            "KEY_PREFIX": prefix,
            "OPTIONS": timeouts,
        }
    }
    cache.clear()
    yield client
    cache.clear()


@pytest.fixture
def alice(db):
    from tests.portal.factories import UserFactory

    return UserFactory(username="alice", applicant=True)


@pytest.fixture
def bob(db):
    from tests.portal.factories import UserFactory

    return UserFactory(username="bob", applicant=True)


@pytest.fixture
def carol(db):
    from tests.portal.factories import UserFactory

    return UserFactory(username="carol", role=roles.CENTRE, is_staff=True)


@pytest.fixture
def dave(db):
    from tests.portal.factories import UserFactory

    return UserFactory(username="dave", role=roles.BUREAU)


@pytest.fixture
def erin(db):
    from tests.portal.factories import UserFactory

    return UserFactory(username="erin", role=roles.EXPERT)


class CeleryWorker:
    """A real `celery worker` process on the Redis broker, reading the test database."""

    def __init__(self, proc, queue):
        self.proc = proc
        self.queue = queue

    def kill(self):
        import signal

        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)


def _start_worker(queue, settings, extra_args=()):
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CONN_MAX_AGE": "0",
    }
    root = Path(__file__).resolve().parents[1]
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-Q",
            queue,
            "-c",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            *extra_args,
        ],
        cwd=root,
        env=env,
    )


@pytest.fixture
def celery_worker(transactional_db, settings):
    """Starts a real Celery worker (own queue, so parallel runs never share tasks) and points the
    test process's Celery app at it. Needs PostgreSQL (the worker opens its own connections)."""
    import uuid

    from celery.result import allow_join_result
    from django.db import connection

    from portal.celery import app, ping

    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs the PostgreSQL test database")
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set (make test sets it)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous = (app.conf.task_always_eager, app.conf.task_default_queue, app.conf.result_backend)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.result_backend = settings.CELERY_BROKER_URL
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    proc = _start_worker(queue, settings)
    handle = CeleryWorker(proc, queue)
    handle.restart = lambda: setattr(handle, "proc", _start_worker(queue, settings))
    # Celery's "never call result.get() within a task" flag is process-wide: an eager task that ran in
    # another thread of this process (or an earlier test) can leave it raised, and the waits below were
    # refused with "Never call result.get() within a task!" once in a full run. The test process is
    # never a worker: its waits are allowed.
    try:
        with allow_join_result():
            assert ping.apply_async(queue=queue).get(timeout=60) == "pong"
            yield handle
    finally:
        if handle.proc.poll() is None:
            handle.proc.terminate()
            try:
                handle.proc.wait(timeout=20)
            except Exception:
                handle.proc.kill()
        app.conf.task_always_eager, app.conf.task_default_queue, app.conf.result_backend = previous
