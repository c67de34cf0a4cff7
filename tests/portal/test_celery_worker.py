import pytest

from portal.celery import ping

pytestmark = pytest.mark.celery_worker


def test_real_worker_answers(celery_worker):
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    assert celery_worker.proc.poll() is None
