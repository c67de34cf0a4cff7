"""PostgreSQL restarted while the portal serves: a clear error page during the outage, recovery by
itself afterwards (CONN_HEALTH_CHECKS), and no partial writes."""

import pytest

from tests.hardening.throwaway import Gunicorn, ThrowawayCluster, manage, portal_env

pytestmark = pytest.mark.faults


@pytest.fixture(scope="module")
def cluster():
    pg = ThrowawayCluster()
    pg.start()
    pg.create_database()
    env = portal_env(pg.url, STATIC_ROOT=str(pg.dir / "static"))
    manage(env, "collectstatic", "--noinput")
    manage(env, "migrate", "--noinput")
    manage(env, "load_reference")
    manage(env, "load_demo")
    yield pg, env
    pg.destroy()


def test_outage_and_recovery(cluster):
    pg, env = cluster
    server = Gunicorn(env)
    try:
        status, body = server.get("/readyz")
        assert status == 200 and '"ok": true' in body
        assert server.login("centre", "demo-2026") == 200  # followed the redirect to the dashboard
        assert server.get("/dashboard/")[0] == 200

        pg.stop()
        status, body = server.get("/readyz")
        assert status == 503 and '"database": {"ok": false' in body
        # Pages needing the database answer with the Chinese error page, not a hang or a traceback.
        status, body = server.get("/dashboard/")  # the session lives in the database
        assert status == 500 and "系统繁忙" in body and "Traceback" not in body

        pg.start()
        status, body = server.get("/readyz")
        assert status == 200, body
        status, body = server.get("/dashboard/")
        assert status == 200 and "工作台" in body
    finally:
        server.stop()
