"""The cluster of deploy/netns (issue 41): brought up once for the cluster tests of this folder, torn
down after them (also when one fails); skipped, with the reason, where namespaces cannot be made.
Its set-up, tests and tear-down times are printed at the end of the run."""

import json
import os
import time

import pytest

from deploy.netns.cluster import Cluster, unavailable_reason

TIMES = {}


@pytest.fixture(scope="package")
def cluster():
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"cluster tests skipped: {reason}")
    # PORTAL_CLUSTER_WEB_ENV='{"web2": {"SECRET_KEY": "..."}}' (or one dict for both web hosts) changes
    # the web hosts' environment: how the tests were shown able to fail (tests/cluster/README.md).
    web_env = json.loads(os.environ.get("PORTAL_CLUSTER_WEB_ENV") or "{}")
    started = time.monotonic()
    workers = int(os.environ.get("PORTAL_CLUSTER_WEB_WORKERS") or 2)  # gunicorn processes per web host
    # PORTAL_CLUSTER_BEATS=2: a second beat on worker2 (how the beat test was shown able to fail).
    beats = int(os.environ.get("PORTAL_CLUSTER_BEATS") or 1)
    # PORTAL_CLUSTER_WORKER_ENV='{"CELERY_VISIBILITY_TIMEOUT": "3600"}': the worker hosts' environment.
    worker_env = json.loads(os.environ.get("PORTAL_CLUSTER_WORKER_ENV") or "{}")
    running = Cluster(web_env=web_env, web_workers=workers, beats=beats, worker_env=worker_env)
    TIMES["prefix"] = running.prefix
    TIMES["timings"] = running.timings
    with running:
        TIMES["set-up"] = time.monotonic() - started
        yield running
    TIMES["total"] = time.monotonic() - started


def pytest_terminal_summary(terminalreporter):
    if "set-up" not in TIMES:
        return
    line = f"cluster {TIMES['prefix']}*: set up in {TIMES['set-up']:.1f} s"
    if "total" in TIMES:
        line += f", up, tests and tear-down {TIMES['total']:.1f} s"
    terminalreporter.write_sep("-", "cluster (issue 41)")
    terminalreporter.write_line(line)
    terminalreporter.write_line(f"steps (s): {TIMES['timings']}")
