"""Sanctions (seed 001 第二十四条, seed 002 第六条): interview, criticism, rectification with a
deadline by the centre; revocation by the bureau -> revoked and blacklisted; a blacklisted credit
code can neither register nor open a new filing, and is told why."""

from datetime import date

import pytest
from django.urls import reverse

from filings import after_filing, institutions, workflow
from filings.constants import State
from filings.constants_after import SanctionKind
from filings.models import BlacklistEntry, Filing, Sanction
from portal.models import AuditEvent, Institution
from tests.portal.factories import InstitutionFactory, credit_code

from .factories_after import FiledFilingFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 1)


@pytest.fixture
def filed(alice):
    return FiledFilingFactory(institution=alice.institution)


@pytest.mark.parametrize("kind", [SanctionKind.INTERVIEW, SanctionKind.CRITICISM])
def test_centre_imposes_interview_and_criticism(filed, carol, kind):
    sanction = after_filing.impose_sanction(filed, carol, kind=kind, reason="考务不规范", on=ON)
    assert sanction.deadline is None and sanction.decided_on == ON
    assert AuditEvent.objects.filter(event="sanction_imposed", target_id=str(filed.pk)).exists()
    filed.refresh_from_db()
    assert filed.state == State.FILED


def test_rectification_needs_a_deadline_after_the_decision(filed, carol):
    with pytest.raises(after_filing.WorkflowError, match="整改期限"):
        after_filing.impose_sanction(filed, carol, kind=SanctionKind.RECTIFICATION, reason="x", on=ON)
    with pytest.raises(after_filing.WorkflowError, match="晚于"):
        after_filing.impose_sanction(
            filed, carol, kind=SanctionKind.RECTIFICATION, reason="x", deadline=ON, on=ON
        )
    sanction = after_filing.impose_sanction(
        filed, carol, kind=SanctionKind.RECTIFICATION, reason="x", deadline=date(2026, 6, 2), on=ON
    )
    assert after_filing.public_status(filed, ON) == "限期整改中"
    after_filing.complete_rectification(sanction, carol, report="已整改", on=date(2026, 6, 2))
    assert after_filing.public_status(filed, ON) == "有效"


def test_who_may_sanction(filed, alice, dave, erin):
    for user in (alice, dave, erin):
        with pytest.raises(after_filing.NotPermitted):
            after_filing.impose_sanction(filed, user, kind=SanctionKind.INTERVIEW, reason="x")


def test_centre_cannot_revoke(filed, carol, alice):
    with pytest.raises(after_filing.WorkflowError):
        after_filing.impose_sanction(filed, carol, kind=SanctionKind.REVOCATION, reason="x")
    for user in (carol, alice):
        with pytest.raises(after_filing.NotPermitted):
            after_filing.revoke(filed, user, reason="x")
    assert not BlacklistEntry.objects.exists()


def test_revocation_blacklists(filed, dave, alice):
    entry = after_filing.revoke(filed, dave, reason="违规发证，情节严重", on=ON)
    filed.refresh_from_db()
    assert filed.state == State.REVOKED
    assert entry.credit_code == alice.institution.credit_code
    assert Sanction.objects.get(filing=filed).kind == SanctionKind.REVOCATION
    assert AuditEvent.objects.filter(event="filing_revoked", to_state=State.REVOKED).exists()
    assert AuditEvent.objects.filter(event="institution_blacklisted").exists()
    refusal = institutions.registration_refusal(alice.institution.credit_code.lower())
    assert "黑名单" in refusal and "违规发证" in refusal and "2026-06-01" in refusal
    assert institutions.current_filing(alice.institution, ON) is None
    assert institutions.filed_scope(alice.institution, ON) == set()


def test_registration_with_a_blacklisted_code_is_refused_in_the_portal(client, filed, dave, alice):
    after_filing.revoke(filed, dave, reason="违规发证")
    code = alice.institution.credit_code
    response = client.post(
        reverse("register"),
        {
            "institution_name": "换个名字的同一机构",
            "credit_code": code,
            "contact_name": "刘",
            "contact_phone": "022-12345678",
            "email": "new@example.org",
            "username": "again",
            "password1": "Qx7!kd92-pp",
            "password2": "Qx7!kd92-pp",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "纳入黑名单" in body and "违规发证" in body
    assert Institution.objects.filter(credit_code=code).count() == 1


def test_blacklisted_code_without_an_account_is_refused_too(client, dave):
    # the institution of the revoked filing registered under another account that was later removed
    filing = FiledFilingFactory()
    after_filing.revoke(filing, dave, reason="伪造材料")
    Filing.objects.filter(pk=filing.pk).update(institution=InstitutionFactory())
    Institution.objects.filter(credit_code=filing.credit_code).update(credit_code=credit_code(999))
    response = client.post(
        reverse("register"),
        {
            "institution_name": "X",
            "credit_code": filing.credit_code,
            "contact_name": "刘",
            "contact_phone": "022-12345678",
            "email": "x@example.org",
            "username": "xx",
            "password1": "Qx7!kd92-pp",
            "password2": "Qx7!kd92-pp",
        },
    )
    assert "纳入黑名单" in response.content.decode()


def test_a_blacklisted_institution_cannot_open_a_new_filing(client, filed, dave, alice):
    after_filing.revoke(filed, dave, reason="违规发证")
    with pytest.raises(workflow.WorkflowError, match="黑名单"):
        workflow.open_filing(alice.institution, alice, "S")
    client.force_login(alice)
    response = client.post(reverse("filings:new"), {"route": "S"}, follow=True)
    assert "黑名单" in response.content.decode()
    assert Filing.objects.filter(institution=alice.institution).count() == 1


def test_lifted_entry_allows_again(filed, dave, alice):
    entry = after_filing.revoke(filed, dave, reason="x")
    after_filing.lift_blacklist(entry, dave, reason="复核撤销")
    assert institutions.registration_refusal(alice.institution.credit_code) is None


def test_views_check_roles(client, filed, alice, bob, carol, dave):
    client.force_login(bob)
    assert (
        client.post(
            f"/filings/after/filing/{filed.pk}/sanction/", {"kind": "interview", "reason": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/filings/after/filing/{filed.pk}/revoke/", {"reason": "x", "confirm": "on"}).status_code
        == 404
    )
    client.force_login(carol)
    assert (
        client.post(f"/filings/after/filing/{filed.pk}/revoke/", {"reason": "x", "confirm": "on"}).status_code
        == 404
    )
    client.post(
        f"/filings/after/filing/{filed.pk}/sanction/",
        {"kind": "interview", "reason": "约谈负责人", "is_public": "on"},
    )
    assert Sanction.objects.filter(filing=filed, kind="interview").exists()
    client.force_login(dave)
    response = client.post(
        f"/filings/after/filing/{filed.pk}/revoke/", {"reason": "情节严重", "confirm": "on"}
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.state == State.REVOKED
    client.force_login(alice)
    page = client.get(f"/filings/after/filing/{filed.pk}/")
    assert page.status_code == 200 and "情节严重" in page.content.decode()


def test_overdue_rectification_flagged_once(filed, carol):
    from filings import deadlines
    from portal.models import Notification

    sanction = after_filing.impose_sanction(
        filed, carol, kind=SanctionKind.RECTIFICATION, reason="整改", deadline=date(2026, 6, 30), on=ON
    )
    assert deadlines.flag_overdue(date(2026, 6, 30)) == 0  # the deadline day is still in time
    assert after_filing.public_status(filed, date(2026, 6, 30)) == "限期整改中"
    assert deadlines.flag_overdue(date(2026, 7, 1)) == 1
    assert deadlines.flag_overdue(date(2026, 7, 1)) == 0
    assert deadlines.flag_overdue(date(2026, 7, 2)) == 0
    assert AuditEvent.objects.filter(event="rectification_overdue").count() == 1
    assert Notification.objects.filter(user=carol, text__contains="到期").count() == 1
    assert after_filing.public_status(filed, date(2026, 7, 1)) == "整改逾期"
    after_filing.complete_rectification(sanction, carol, report="已完成", on=date(2026, 7, 3))
    assert after_filing.public_status(filed, date(2026, 7, 4)) == "有效"


def test_a_draft_opened_before_the_blacklisting_cannot_be_submitted(filed, dave, alice):
    """The check is made by the services that open and submit (seed 002 第六条), not on every save."""
    from .factories import in_state

    draft = in_state(State.DRAFT, institution=alice.institution, credit_code=filed.credit_code)
    after_filing.revoke(filed, dave, reason="违规发证")
    with pytest.raises(workflow.WorkflowError, match="黑名单"):
        workflow.submit(draft, alice)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    draft.name = "改名后照样保存"
    draft.save()  # a plain save of the draft is not refused
