"""The cluster of deploy/netns (issue 41): brought up once for the cluster tests of this folder, torn
down after them (also when one fails); skipped, with the reason, where namespaces cannot be made."""

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
    with Cluster() as running:
        print(f"\ncluster {running.prefix}* set up in {running.timings['up']:.1f} s ({running.timings})")
        yield running
    print(f"\ncluster torn down; up, tests and tear-down took {time.monotonic() - started:.1f} s")
