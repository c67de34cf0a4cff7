"""Supervision results made public and cases referred on (issue 38 item 3):
《天津市职业技能等级认定工作管理办法（试行）》第十九条第二款 (“双随机、一公开”), 第二十四条 and 第二十六条
(涉嫌违法的，移交有关部门依法处理)."""

import datetime

import pytest
import time_machine
from django.core.cache import cache

from filings import supervision
from filings.constants_after import ReferralGround, ReferralState
from filings.models import Inspection, Referral
from portal.errors import PortalError
from portal.models import AuditEvent

from .factories_after import FiledFilingFactory, SanctionFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 3, 12, tzinfo=datetime.UTC)  # a Wednesday, Asia/Shanghai 20:00
TODAY = datetime.date(2026, 6, 3)


@pytest.fixture(autouse=True)
def _at_noon():
    cache.clear()
    with time_machine.travel(NOON, tick=False):
        yield
    cache.clear()


@pytest.fixture
def filed(alice):
    return FiledFilingFactory(institution=alice.institution)


def _inspection(filed, carol, **extra):
    return supervision.record_inspection(
        filed,
        carol,
        kind="daily",
        method="onsite",
        inspected_on=datetime.date(2026, 5, 20),
        inspectors="督导员甲、乙",
        findings=extra.pop("findings", "考场监控中断"),
        **extra,
    )


# -- 一公开 (第十九条第二款) ---------------------------------------------------------------------------


def test_a_recorded_inspection_is_not_public_until_the_centre_publishes_it(client, filed, carol):
    inspection = _inspection(filed, carol, findings="考场监控中断二十分钟")
    page = client.get("/filings/directory/supervision/").content.decode()
    assert "考场监控中断二十分钟" not in page
    supervision.publish_inspection(inspection, carol, measure="责令限期整改")
    page = client.get("/filings/directory/supervision/").content.decode()
    assert "考场监控中断二十分钟" in page and "责令限期整改" in page and filed.name in page
    assert "2026-05-20" in page and "2026-06-03" in page  # the inspection's date and the publication's
    detail = client.get(f"/filings/directory/{filed.pk}/").content.decode()
    assert "考场监控中断二十分钟" in detail and "责令限期整改" in detail
    assert AuditEvent.objects.filter(event="inspection_published").count() == 1


def test_publishing_needs_the_centre_a_measure_and_happens_once(filed, carol, dave, alice):
    inspection = _inspection(filed, carol)
    for person in (dave, alice):
        with pytest.raises(PortalError):
            supervision.publish_inspection(inspection, person, measure="整改")
    with pytest.raises(PortalError, match="处理措施"):
        supervision.publish_inspection(inspection, carol, measure="  ")
    inspection.refresh_from_db()
    assert inspection.published_on is None and inspection.measure == ""
    supervision.publish_inspection(inspection, carol, measure="未发现问题")
    with pytest.raises(PortalError, match="已于 2026-06-03 公开"):
        supervision.publish_inspection(inspection, carol, measure="再次公开")
    inspection.refresh_from_db()
    assert inspection.measure == "未发现问题"


def test_the_public_page_searches_and_shows_only_published_results(client, filed, carol):
    other = FiledFilingFactory(name="另一家评价机构")
    supervision.publish_inspection(_inspection(filed, carol, findings="甲机构发现"), carol, measure="约谈")
    supervision.publish_inspection(_inspection(other, carol, findings="乙机构发现"), carol, measure="通报")
    _inspection(other, carol, findings="未公开的发现")
    page = client.get("/filings/directory/supervision/", {"q": "另一家"}).content.decode()
    assert "乙机构发现" in page and "甲机构发现" not in page and "未公开的发现" not in page
    assert list(supervision.public_results()) == list(
        Inspection.objects.filter(published_on__isnull=False).order_by(
            "-published_on", "-inspected_on", "-pk"
        )
    )


def test_the_directory_shows_only_public_sanctions(client, filed):
    SanctionFactory(filing=filed, reason="公开的通报批评", is_public=True)
    SanctionFactory(filing=filed, reason="内部约谈记录", is_public=False)
    page = client.get(f"/filings/directory/{filed.pk}/").content.decode()
    assert "公开的通报批评" in page and "内部约谈记录" not in page


def test_the_centre_publishes_from_the_supervision_page(client, filed, carol):
    inspection = _inspection(filed, carol)
    client.force_login(carol)
    page = client.get("/filings/after/supervision/").content.decode()
    assert f'data-testid="publish-{inspection.pk}"' in page
    # the date fields open on today, in the form a date input reads (it shows nothing for 2026年6月3日)
    assert 'type="date" name="inspected_on" value="2026-06-03"' in page
    assert 'type="date" name="period_start" value="2026-06-03"' in page
    response = client.post(f"/filings/after/inspections/{inspection.pk}/publish/", {"measure": ""})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.published_on is None  # a blank measure is refused, nothing published
    client.post(f"/filings/after/inspections/{inspection.pk}/publish/", {"measure": "责令整改"})
    inspection.refresh_from_db()
    assert inspection.published_on == TODAY and inspection.measure == "责令整改"


# -- 移交 (第二十四条、第二十六条) ----------------------------------------------------------------------


def test_an_institution_referral_names_its_filing_and_a_staff_one_names_a_person(filed, carol):
    with pytest.raises(PortalError, match="请选择涉及的评价机构"):
        supervision.refer(
            carol, ground=ReferralGround.INSTITUTION, authority="公安局", facts="伪造记录", referred_on=TODAY
        )
    referral = supervision.refer(
        carol,
        ground=ReferralGround.INSTITUTION,
        filing=filed,
        authority="公安局",
        facts="伪造记录",
        referred_on=TODAY,
    )
    assert referral.subject == filed.name and referral.state == ReferralState.REFERRED
    with pytest.raises(PortalError, match="不关联评价机构"):
        supervision.refer(
            carol,
            ground=ReferralGround.STAFF,
            filing=filed,
            subject="张某",
            authority="纪委",
            facts="x",
            referred_on=TODAY,
        )
    with pytest.raises(PortalError, match="移交对象"):
        supervision.refer(carol, ground=ReferralGround.STAFF, authority="纪委", facts="x", referred_on=TODAY)
    staff = supervision.refer(
        carol,
        ground=ReferralGround.STAFF,
        subject="张某（某区人社局）",
        authority="纪委监委",
        facts="收受财物",
        referred_on=TODAY,
    )
    assert staff.filing is None
    assert Referral.objects.count() == 2
    assert AuditEvent.objects.filter(event="case_referred").count() == 2


def test_the_referral_date_is_today_at_the_latest(filed, carol):
    args = dict(ground=ReferralGround.INSTITUTION, filing=filed, authority="公安局", facts="伪造记录")
    supervision.refer(carol, referred_on=TODAY - datetime.timedelta(days=1), **args)
    supervision.refer(carol, referred_on=TODAY, **args)
    with pytest.raises(PortalError, match="不能晚于今天"):
        supervision.refer(carol, referred_on=TODAY + datetime.timedelta(days=1), **args)
    assert Referral.objects.count() == 2


def test_only_the_centre_refers_and_records_the_outcome(filed, carol, dave, alice):
    args = dict(
        ground=ReferralGround.INSTITUTION,
        filing=filed,
        authority="公安局",
        facts="伪造记录",
        referred_on=TODAY,
    )
    for person in (dave, alice):
        with pytest.raises(PortalError):
            supervision.refer(person, **args)
    referral = supervision.refer(carol, **args)
    for person in (dave, alice):
        with pytest.raises(PortalError):
            supervision.conclude_referral(referral, person, outcome="已立案", concluded_on=TODAY)
    referral.refresh_from_db()
    assert referral.state == ReferralState.REFERRED and referral.outcome == ""


def test_the_outcome_date_lies_between_the_referral_and_today(filed, carol):
    referral = supervision.refer(
        carol,
        ground=ReferralGround.INSTITUTION,
        filing=filed,
        authority="公安局",
        facts="伪造记录",
        referred_on=TODAY - datetime.timedelta(days=3),
    )
    with pytest.raises(PortalError, match="不能早于移交日期"):
        supervision.conclude_referral(
            referral, carol, outcome="已立案", concluded_on=TODAY - datetime.timedelta(days=4)
        )
    with pytest.raises(PortalError, match="不能晚于今天"):
        supervision.conclude_referral(
            referral, carol, outcome="已立案", concluded_on=TODAY + datetime.timedelta(days=1)
        )
    supervision.conclude_referral(
        referral, carol, outcome="已立案侦查", concluded_on=TODAY - datetime.timedelta(days=3)
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.CONCLUDED and referral.outcome == "已立案侦查"
    assert referral.concluded_by == carol
    with pytest.raises(PortalError):
        supervision.conclude_referral(referral, carol, outcome="再次登记", concluded_on=TODAY)
    referral.refresh_from_db()
    assert referral.outcome == "已立案侦查"
    event = AuditEvent.objects.get(event="referral_concluded")
    assert event.data["referral"] == referral.pk


def test_referral_pages(client, filed, carol, dave):
    client.force_login(carol)
    assert 'name="referred_on" value="2026-06-03"' in client.get("/filings/after/referrals/").content.decode()
    response = client.post(
        "/filings/after/referrals/",
        {
            "ground": "institution",
            "filing": filed.pk,
            "subject": "",
            "authority": "市场监督管理局",
            "facts": "违规收费",
            "referred_on": "2026-06-03",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    page = client.get(f"/filings/after/referrals/{referral.pk}/").content.decode()
    assert "市场监督管理局" in page and 'data-testid="conclude-form"' in page
    assert "第二十四条" in page and "《天津市职业技能等级认定工作管理办法（试行）》" in page
    bad = client.post(
        "/filings/after/referrals/",
        {
            "ground": "staff",
            "filing": "",
            "subject": "",
            "authority": "纪委",
            "facts": "保留的事由",
            "referred_on": "2026-06-03",
        },
    )
    assert bad.status_code == 200 and "保留的事由" in bad.content.decode()  # nothing lost on a refusal
    assert Referral.objects.count() == 1
    client.post(
        f"/filings/after/referrals/{referral.pk}/conclude/",
        {"outcome": "已罚款", "concluded_on": "2026-06-03"},
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.CONCLUDED
    client.force_login(dave)
    page = client.get("/filings/after/referrals/").content.decode()
    assert filed.name in page and 'data-testid="referral-form"' not in page
    page = client.get(f"/filings/after/referrals/{referral.pk}/").content.decode()
    assert "已罚款" in page and 'data-testid="conclude-form"' not in page
