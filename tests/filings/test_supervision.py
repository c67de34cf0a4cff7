"""Supervision records and the 双随机 draw (seed 001 第十九至二十一条)."""

from datetime import date

import pytest

from filings import after_filing, supervision
from filings.constants import State
from filings.models import Inspection, InspectionDraw
from portal import roles
from tests.portal.factories import UserFactory

from .factories_after import FiledFilingFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 1)


@pytest.fixture
def pools(carol):
    filings = [FiledFilingFactory() for _ in range(8)]
    FiledFilingFactory(state=State.CANCELLED)
    FiledFilingFactory(filed_on=date(2023, 1, 1))  # expired before the period
    inspectors = [carol] + [UserFactory(role=roles.CENTRE) for _ in range(4)]
    return filings, inspectors


def test_draw_is_reproducible_from_its_seed(pools, carol):
    filings, inspectors = pools
    draw = supervision.random_draw(
        carol, period_start=ON, period_end=date(2026, 6, 30), n_institutions=3, n_inspectors=2, seed="2026-06"
    )
    assert sorted(draw.institution_pool) == sorted(f.pk for f in filings)  # only filings in force
    assert len(draw.institutions) == 3 and len(draw.inspectors) == 2
    assert set(draw.institutions) <= set(draw.institution_pool)
    assert supervision.replay(InspectionDraw.objects.get(pk=draw.pk)) == (draw.institutions, draw.inspectors)
    again = supervision.random_draw(
        carol, period_start=ON, period_end=date(2026, 6, 30), n_institutions=3, n_inspectors=2, seed="2026-06"
    )
    assert (again.institutions, again.inspectors) == (draw.institutions, draw.inspectors)
    other = supervision.choose(draw.institution_pool, draw.inspector_pool, 3, 2, "another seed")
    assert other != (draw.institutions, draw.inspectors)


def test_draw_validation_and_roles(pools, carol, alice, dave):
    with pytest.raises(after_filing.NotPermitted):
        supervision.random_draw(alice, period_start=ON, period_end=ON, n_institutions=1, n_inspectors=1)
    with pytest.raises(after_filing.NotPermitted):
        supervision.random_draw(dave, period_start=ON, period_end=ON, n_institutions=1, n_inspectors=1)
    with pytest.raises(after_filing.WorkflowError, match="不能早于"):
        supervision.random_draw(
            carol, period_start=ON, period_end=date(2026, 5, 1), n_institutions=1, n_inspectors=1
        )


def test_record_inspection(pools, carol):
    filings, _ = pools
    draw = supervision.random_draw(
        carol, period_start=ON, period_end=ON, n_institutions=2, n_inspectors=1, seed="s"
    )
    target = next(f for f in filings if f.pk in draw.institutions)
    outsider = next(f for f in filings if f.pk not in draw.institutions)
    inspection = supervision.record_inspection(
        target,
        carol,
        kind="daily",
        method="onsite",
        inspected_on=ON,
        inspectors="甲、乙",
        findings="考场监控正常",
        draw=draw,
    )
    assert inspection.get_method_display() == "现场检查"
    with pytest.raises(after_filing.WorkflowError, match="不在本次"):
        supervision.record_inspection(
            outsider,
            carol,
            kind="daily",
            method="data",
            inspected_on=ON,
            inspectors="甲",
            findings="x",
            draw=draw,
        )
    for method in ("data", "remote"):
        supervision.record_inspection(
            outsider, carol, kind="special", method=method, inspected_on=ON, inspectors="甲", findings="ok"
        )
    assert Inspection.objects.count() == 3


def test_supervision_views(client, pools, carol, alice):
    client.force_login(alice)
    assert client.get("/filings/after/supervision/").status_code == 404
    client.force_login(carol)
    response = client.post(
        "/filings/after/supervision/",
        {
            "action": "draw",
            "period_start": "2026-06-01",
            "period_end": "2026-06-30",
            "n_institutions": 2,
            "n_inspectors": 1,
            "seed": "abc",
        },
    )
    draw = InspectionDraw.objects.get()
    assert response.status_code == 302 and draw.seed == "abc"
    page = client.get(f"/filings/after/draws/{draw.pk}/")
    assert 'data-testid="reproduced"' in page.content.decode()
    filing = pools[0][0]
    client.post(
        "/filings/after/supervision/",
        {
            "action": "inspection",
            "filing": filing.pk,
            "kind": "daily",
            "method": "remote",
            "inspected_on": "2026-06-02",
            "inspectors": "丙",
            "findings": "远程监控抽查无异常",
        },
    )
    assert Inspection.objects.get().filing == filing
