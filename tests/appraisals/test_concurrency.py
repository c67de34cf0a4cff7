"""Record numbers under concurrency (README, 入网备案 number): centre users filing different applications at
the same moment, each on its own PostgreSQL connection, get consecutive numbers and no duplicate; two
acting on the same application: one wins, the other is told it changed."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from appraisals import workflow
from appraisals.constants import State
from appraisals.models import Appraisal
from portal import errors
from tests.appraisals.factories import World, through

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _race(actions):
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait(timeout=10)
            action()
            results[i] = "ok"
        except errors.PortalError as error:
            results[i] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_simultaneous_filings_get_distinct_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, tzinfo=SHANGHAI), tick=True):
        world = World.build()
        submitted = [through(world.appraisal(), world, "submit") for _ in range(6)]
        pks = [a.pk for a in submitted]
        results = _race(
            [lambda pk=pk: workflow.file(Appraisal.objects.get(pk=pk), world.centre) for pk in pks]
        )
    assert results == ["ok"] * 6, results
    numbers = sorted(Appraisal.objects.filter(pk__in=pks).values_list("record_number", flat=True))
    assert numbers == [f"JD2026{n:04d}" for n in range(1, 7)]


@pytest.mark.django_db(transaction=True)
def test_two_centre_users_on_one_application_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from tests.portal.factories import UserFactory

    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, tzinfo=SHANGHAI), tick=True):
        world = World.build()
        pk = through(world.appraisal(), world, "submit").pk
        other = UserFactory(role="centre_staff")
        first, second = Appraisal.objects.get(pk=pk), Appraisal.objects.get(pk=pk)
        results = _race(
            [
                lambda: workflow.file(first, world.centre),
                lambda: workflow.return_for_correction(second, other, reason="请补正"),
            ]
        )
    assert sorted(results) == sorted(["ok", "该职业技能鉴定申请已被他人修改，请刷新后重试。"]), results
    appraisal = Appraisal.objects.get(pk=pk)
    assert appraisal.state in (State.FILED, State.RETURNED)
    assert (appraisal.record_number is not None) == (appraisal.state == State.FILED)
