"""Bureau approval, publicity (public page, objections, rate limit), record filing with the
institution code (seed 004 附件5) and the PDFs."""

import datetime

import pytest
from django.urls import reverse

from filings import workflow
from filings.constants import State
from filings.models import InstitutionCode, Objection, ObjectionState, SequenceCounter
from portal import audit

from .factories import in_state

pytestmark = pytest.mark.django_db

APPROVED_ON = datetime.date(2026, 3, 6)  # Friday: publicity Mon 9 - Fri 13 March


def _in_publicity(dave, **kwargs):
    filing = in_state(State.EVALUATED, **kwargs)
    workflow.approve(filing, dave, on=APPROVED_ON)
    workflow.open_publicity(filing, on=datetime.date(2026, 3, 9))
    return filing


def test_approval_schedules_publicity(dave):
    filing = in_state(State.EVALUATED)
    with pytest.raises(workflow.WorkflowError, match="尚未到期"):
        workflow.approve(filing, dave, on=APPROVED_ON)
        workflow.open_publicity(filing, on=APPROVED_ON)
    filing.refresh_from_db()
    assert (filing.publicity_start, filing.publicity_end) == (
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 13),
    )


@pytest.mark.parametrize(("day", "closes"), [(13, False), (14, True)])
def test_publicity_closes_only_after_the_last_day(dave, day, closes):
    filing = _in_publicity(dave)
    if closes:
        workflow.close_publicity(filing, on=datetime.date(2026, 3, day))
        assert filing.state == State.AWAITING_RECORD
    else:
        with pytest.raises(workflow.WorkflowError, match="尚未期满"):
            workflow.close_publicity(filing, on=datetime.date(2026, 3, day))


def test_public_page_and_objection_holds_the_filing(client, dave, carol):
    filing = _in_publicity(dave)
    page = client.get(reverse("filings:publicity"))
    assert filing.name in page.content.decode() and "2026-03-13" in page.content.decode()
    response = client.post(
        reverse("filings:objection", args=[filing.pk]),
        {"name": "王某", "contact": "13800000000", "text": "该单位实际没有考核场地。"},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.state == ObjectionState.OPEN and objection.ip_hash
    with pytest.raises(workflow.WorkflowError, match="尚未处理的异议"):
        workflow.close_publicity(filing, on=datetime.date(2026, 3, 16))
    # Dismissed after the period: the filing completes publicity at once.
    workflow.resolve_objection(
        objection, carol, upheld=False, resolution="经核查场地属实", on=datetime.date(2026, 3, 16)
    )
    filing.refresh_from_db()
    assert filing.state == State.AWAITING_RECORD


def test_upheld_objection_rejects(dave, carol):
    filing = _in_publicity(dave)
    objection = workflow.raise_objection(filing, name="王某", contact="138", text="材料造假")
    workflow.resolve_objection(objection, carol, upheld=True, resolution="经核查属实")
    filing.refresh_from_db()
    assert filing.state == State.REJECTED
    objection.refresh_from_db()
    assert objection.state == ObjectionState.UPHELD and objection.resolved_by == carol
    assert objection.resolution == "经核查属实"
    # The trail names both steps: the objection upheld, then the filing rejected by the centre.
    events = [(e.event, e.to_state) for e in audit.trail(filing)]
    assert ("objection_upheld", "") in [(e, s or "") for e, s in events]
    assert ("filing_rejected", State.REJECTED) in events


def test_objection_only_during_publicity(client):
    filing = in_state(State.SUBMITTED)
    assert client.get(reverse("filings:objection", args=[filing.pk])).status_code == 404


def test_objection_rate_limited_per_ip(client, dave, settings):
    settings.FILING_OBJECTION_RATE = "2/h"
    from django.core.cache import cache

    cache.clear()
    filing = _in_publicity(dave)
    data = {"name": "王某", "contact": "138", "text": "异议"}
    codes = [client.post(reverse("filings:objection", args=[filing.pk]), data).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Objection.objects.count() == 2


def test_record_assigns_code_in_order_never_reused(carol):
    first = in_state(State.PUBLISHED, kind="enterprise")
    second = in_state(State.PUBLISHED, kind="enterprise")
    school = in_state(State.PUBLISHED, kind="technician_college")
    on = datetime.date(2026, 3, 16)
    workflow.record_filing(first, carol, city_code="01", on=on)
    workflow.record_filing(second, carol, city_code="01", on=on)
    workflow.record_filing(school, carol, city_code="01", on=on)
    assert [f.institution_sequence for f in (first, second, school)] == ["013001", "013002", "014001"]
    assert first.filing_number == "Y000012013001-20260316"
    assert (first.valid_from, first.valid_until) == (on, datetime.date(2029, 3, 15))
    # The counter never goes back, even if a code row disappeared.
    assert SequenceCounter.objects.get(prefix="013").last == 2
    assert InstitutionCode.objects.count() == 3


def test_record_validates_codes(carol):
    filing = in_state(State.PUBLISHED)
    with pytest.raises(workflow.WorkflowError, match="4 位数字"):
        workflow.record_filing(filing, carol, route_code="12")
    with pytest.raises(workflow.WorkflowError, match="01-99"):
        workflow.record_filing(filing, carol, city_code="00")
    workflow.record_filing(filing, carol, route_code="0007", city_code="02")
    assert filing.institution_code == "000712023001"


def test_renewed_institution_keeps_its_sequence(carol):
    first = in_state(State.PUBLISHED)
    workflow.record_filing(first, carol, on=datetime.date(2026, 3, 16))
    again = in_state(State.PUBLISHED, institution=first.institution)
    workflow.record_filing(again, carol, on=datetime.date(2029, 3, 16))
    assert again.institution_sequence == first.institution_sequence


def test_notice_and_application_pdfs(client, carol):
    from filings import documents

    filing = in_state(State.PUBLISHED)
    workflow.record_filing(filing, carol, on=datetime.date(2026, 3, 16))
    pdf, html = documents.notice_pdf(filing)
    assert pdf.startswith(b"%PDF") and "准予备案通知" in html and filing.institution_code in html
    assert "2029年3月15日" in html
    pdf, html = documents.application_pdf(filing)
    assert pdf.startswith(b"%PDF") and "职业技能等级认定机构备案申请表" in html and "中式烹调师" in html
    client.force_login(carol)
    response = client.get(reverse("filings:notice_pdf", args=[filing.pk]))
    assert response["Content-Type"] == "application/pdf"


def test_seed_001_10_5_the_publication_is_its_own_step_before_the_notice(carol):
    """seed 001 第十条(五): 经部评价机构公示查询系统公布的评价机构，由市鉴定中心发给准予备案通知，备案有效期为3年:
    the publication day is recorded (not in the future, not before the public notice ended), then the
    notice is issued, and the validity counts from the notice."""
    end = datetime.date(2026, 3, 9)
    filing = in_state(State.AWAITING_RECORD, publicity_end=end)
    with pytest.raises(workflow.WorkflowError):
        workflow.record_filing(filing, carol, on=datetime.date(2026, 3, 20))  # not published yet
    with pytest.raises(workflow.WorkflowError, match="不能早于公示截止日期"):
        workflow.record_publication(filing, carol, published_on=end - datetime.timedelta(days=1), on=end)
    with pytest.raises(workflow.WorkflowError, match="不能晚于今天"):
        workflow.record_publication(filing, carol, published_on=end + datetime.timedelta(days=1), on=end)
    workflow.record_publication(filing, carol, published_on=end, ministry_report="已报部", on=end)
    filing.refresh_from_db()
    assert filing.state == State.PUBLISHED
    assert (filing.ministry_published_on, filing.ministry_published_by) == (end, carol)
    notice = datetime.date(2026, 3, 20)
    workflow.record_filing(filing, carol, on=notice)
    filing.refresh_from_db()
    assert filing.state == State.FILED and filing.ministry_report == "已报部"
    assert (filing.valid_from, filing.valid_until) == (notice, datetime.date(2029, 3, 19))
