"""Revocation by centre staff with a reason: audited, boundaries of the rules, revoked certificates
still found (marked revoked) by lookup, verification and the API; who may revoke."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from certificates import lookup, revocation, signing
from certificates.constants import REVOCATION_REASON_MIN_LENGTH
from certificates.models import Certificate
from portal import audit
from portal.models import Notification
from tests.certificates.factories import CertificateFactory
from tests.certificates.factories_lookup import fresh_rate_limits, signed_path  # noqa: F401
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

TODAY = datetime.date(2026, 9, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def issued(**kwargs):
    return CertificateFactory(issue_date=datetime.date(2026, 6, 30), **kwargs)


def test_centre_staff_revoke_with_a_reason_and_it_is_audited(carol):
    cert = issued()
    revocation.revoke(cert, "  经查实弄虚作假取得证书  ", carol)
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.REVOKED
    assert cert.revoked_on == TODAY and cert.revoked_reason == "经查实弄虚作假取得证书"
    (event,) = audit.trail(cert).filter(event="certificate_revoked")
    assert event.actor == carol and event.comment == "经查实弄虚作假取得证书"
    assert (event.from_state, event.to_state) == ("valid", "revoked")


@pytest.mark.parametrize(
    ("length", "ok"), [(REVOCATION_REASON_MIN_LENGTH - 1, False), (REVOCATION_REASON_MIN_LENGTH, True)]
)
def test_the_reason_length_boundary(carol, length, ok):
    cert = issued()
    if ok:
        revocation.revoke(cert, "假" * length, carol)
    else:
        with pytest.raises(revocation.RevocationRefused, match="撤销原因"):
            revocation.revoke(cert, "假" * length, carol)


@pytest.mark.parametrize(
    ("on", "ok"),
    [
        (datetime.date(2026, 6, 29), False),  # before the issue date
        (datetime.date(2026, 6, 30), True),  # on the issue date
        (TODAY, True),
        (TODAY + datetime.timedelta(days=1), False),  # in the future
    ],
)
def test_the_revocation_date_boundaries(carol, on, ok):
    cert = issued()
    if ok:
        assert revocation.revoke(cert, "弄虚作假", carol, on=on).revoked_on == on
    else:
        with pytest.raises(revocation.RevocationRefused):
            revocation.revoke(cert, "弄虚作假", carol, on=on)


def test_a_revoked_certificate_cannot_be_revoked_again(carol):
    cert = issued()
    revocation.revoke(cert, "弄虚作假", carol, on=datetime.date(2026, 7, 1))
    with pytest.raises(revocation.RevocationRefused, match="2026-07-01"):
        revocation.revoke(cert, "另一个原因", carol)
    cert.refresh_from_db()
    assert cert.revoked_reason == "弄虚作假"


def test_only_centre_staff_may_revoke(alice, dave, erin):
    cert = issued()
    for person in (alice, dave, erin):
        with pytest.raises(revocation.RevocationRefused):
            revocation.revoke(cert, "弄虚作假", person)
    assert Certificate.objects.get(pk=cert.pk).status == Certificate.Status.VALID


def test_the_institution_is_notified(carol):
    cert = issued()
    staff_of_institution = UserFactory(institution=cert.institution)
    revocation.revoke(cert, "弄虚作假", carol)
    (note,) = Notification.objects.filter(user=staff_of_institution)
    assert cert.code in note.text


def test_revoked_still_appear_everywhere_marked_revoked(client, carol):
    cert = issued(holder_name="赵敏")
    link = signed_path(cert)  # printed before the revocation
    revocation.revoke(cert, "弄虚作假", carol)
    page = client.post(
        "/certificates/lookup/", {"by": "code", "code": cert.code, "name": "赵敏"}
    ).content.decode()
    # issue 21: the lookup page gives the reason too (the verification page and the API the date only)
    assert cert.code in page and "已撤销" in page and "2026-09-15" in page and "弄虚作假" in page
    verify = client.get(link)
    assert verify.status_code == 200 and 'data-outcome="revoked"' in verify.content.decode()
    api = client.get("/api/v1/certificates/verify", {"code": cert.code, "name": "赵敏"}).json()
    assert api["status"] == "revoked" and api["revoked_on"] == "2026-09-15"
    # the signature is over the printed fields, not the status: it still matches
    assert signing.check(Certificate.objects.get(pk=cert.pk), link.split("?s=")[1]).ok
    assert lookup.verify(cert.code, link.split("?s=")[1]).outcome == lookup.Outcome.REVOKED


# --- The staff pages ---------------------------------------------------------------------------------


def test_staff_revoke_through_the_page(client, carol):
    cert = issued()
    client.force_login(carol)
    detail = reverse("certificates:staff_certificate", args=[cert.code])
    assert 'data-testid="revoke-form"' in client.get(detail).content.decode()
    response = client.post(
        reverse("certificates:staff_revoke", args=[cert.code]),
        {"reason": "经查实冒名顶替", "revoked_on": "2026-09-14", "confirm": "on"},
    )
    assert response.status_code == 302 and response["Location"] == detail
    cert.refresh_from_db()
    assert cert.status == "revoked" and cert.revoked_on == datetime.date(2026, 9, 14)
    page = client.get(detail).content.decode()
    assert "经查实冒名顶替" in page and 'data-testid="revoke-form"' not in page


def test_a_bad_revocation_keeps_what_was_typed(client, carol):
    cert = issued()
    client.force_login(carol)
    response = client.post(
        reverse("certificates:staff_revoke", args=[cert.code]),
        {"reason": "经查实冒名顶替", "revoked_on": "2026-12-01", "confirm": "on"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "撤销日期不能晚于今天" in html and "经查实冒名顶替" in html
    assert Certificate.objects.get(pk=cert.pk).status == "valid"


def test_revoking_needs_the_confirmation_box_ticked(client, carol):
    """Issue 29 item 11c: a reason alone (one click) revokes nothing; the page asks to tick the box and
    keeps what was typed."""
    cert = issued()
    client.force_login(carol)
    url = reverse("certificates:staff_revoke", args=[cert.code])
    detail = client.get(reverse("certificates:staff_certificate", args=[cert.code])).content.decode()
    assert 'name="confirm"' in detail and "确认撤销该证书" in detail
    for unticked in ({}, {"confirm": ""}):
        response = client.post(url, {"reason": "经查实冒名顶替", "revoked_on": "2026-09-14", **unticked})
        assert response.status_code == 400
        html = response.content.decode()
        assert "请勾选“确认撤销该证书”后再提交。" in html and "经查实冒名顶替" in html
    assert Certificate.objects.get(pk=cert.pk).status == "valid"
    assert not audit.trail(cert).filter(event="certificate_revoked").exists()
    ticked = client.post(url, {"reason": "经查实冒名顶替", "revoked_on": "2026-09-14", "confirm": "on"})
    assert ticked.status_code == 302 and Certificate.objects.get(pk=cert.pk).status == "revoked"


def test_who_may_use_the_revocation_page(client, alice, dave, erin):
    cert = issued()
    url = reverse("certificates:staff_revoke", args=[cert.code])
    assert client.post(url, {"reason": "弄虚作假"}).status_code == 302  # anonymous: login
    for person in (alice, dave, erin):
        client.force_login(person)
        assert client.post(url, {"reason": "弄虚作假"}).status_code == 403
    client.force_login(dave)  # the bureau reads the certificate but has no revoke form
    page = client.get(reverse("certificates:staff_certificate", args=[cert.code])).content.decode()
    assert 'data-testid="revoke-form"' not in page
    assert Certificate.objects.get(pk=cert.pk).status == "valid"


def test_revoking_by_get_only_opens_the_certificate(client, carol):
    cert = issued()
    client.force_login(carol)
    response = client.get(reverse("certificates:staff_revoke", args=[cert.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:staff_certificate", args=[cert.code])
    assert Certificate.objects.get(pk=cert.pk).status == "valid"


def test_the_staff_list_searches_and_filters(client, carol, django_assert_max_num_queries):
    kept = issued(holder_name="孙丽")
    issued(holder_name="周强", revoked=True)
    for _ in range(5):
        issued()
    client.force_login(carol)
    url = reverse("certificates:staff_certificates")
    page = client.get(url, {"q": "孙丽"}).content.decode()
    assert kept.code in page and "周强" not in page
    revoked_only = client.get(url, {"status": "revoked"}).content.decode()
    assert "周强" in revoked_only and "孙丽" not in revoked_only
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
