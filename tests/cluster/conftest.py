"""The cluster of deploy/netns (issue 41): brought up once for the cluster tests of this folder, torn
down after them (also when one fails); skipped, with the reason, where namespaces cannot be made."""

import json
import os
import time

import pytest

from deploy.netns.cluster import Cluster, unavailable_reason


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/cluster/" in item.nodeid and not item.get_closest_marker("cluster"):
            item.add_marker(pytest.mark.cluster)


@pytest.fixture(scope="package")
def cluster():
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"cluster tests skipped: {reason}")
    started = time.monotonic()
    # PORTAL_CLUSTER_WEB_ENV='{"web2": {"SECRET_KEY": "..."}}' (or one dict for both web hosts) changes
    # the web hosts' environment: how the tests were shown able to fail (tests/cluster/README.md).
    web_env = json.loads(os.environ.get("PORTAL_CLUSTER_WEB_ENV") or "{}")
    with Cluster(web_env=web_env) as running:
        print(f"\ncluster {running.prefix}* set up in {running.timings['up']:.1f} s ({running.timings})")
        yield running
    print(f"\ncluster torn down; up, tests and tear-down took {time.monotonic() - started:.1f} s")
