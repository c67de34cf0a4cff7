"""Two documents of one person linked by centre staff (issue 43 item 3): a lookup by either finds the
person's certificates (the name still has to match); only the centre links, with a reason; the number is
checked by its type; a pair is linked once; the staff page shows the link and the audit trail records it."""

import pytest
from django.urls import reverse

from certificates import documents, lookup
from certificates.models import DocumentLink
from portal import roles
from portal.identifiers import DocumentKind
from tests.certificates.factories import CertificateFactory, id_number
from tests.certificates.factories_lookup import fresh_rate_limits  # noqa: F401
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

PASSPORT = "USA123456789"


@pytest.fixture
def centre():
    return UserFactory(role=roles.CENTRE)


@pytest.fixture
def two_certificates():
    """One person: a certificate under a resident ID, another under a passport."""
    resident = CertificateFactory(holder_name="陈大文", id_number=id_number(51), level=4)
    foreign = CertificateFactory(
        holder_name="陈大文", document_kind=DocumentKind.PASSPORT, id_number=PASSPORT, level=3
    )
    return resident, foreign


def test_before_a_link_each_document_finds_only_its_own(two_certificates):
    resident, foreign = two_certificates
    assert lookup.find_by_document(DocumentKind.RESIDENT_ID, resident.id_number, "陈大文") == [resident]
    assert lookup.find_by_document(DocumentKind.PASSPORT, PASSPORT, "陈大文") == [foreign]


def test_once_linked_either_document_finds_both(two_certificates, centre):
    resident, foreign = two_certificates
    documents.link(resident, "passport", "usa 123456789", "核验了居民身份证和护照原件", centre)
    for kind, number in ((DocumentKind.RESIDENT_ID, resident.id_number), (DocumentKind.PASSPORT, PASSPORT)):
        assert set(lookup.find_by_document(kind, number, "陈大文")) == {resident, foreign}
        assert lookup.find_by_document(kind, number, "陈小文") == []  # the name still has to match


def test_links_are_followed_across_a_third_document(two_certificates, centre):
    resident, foreign = two_certificates
    hk = CertificateFactory(
        holder_name="陈大文", document_kind=DocumentKind.HK_MACAO_PERMIT, id_number="H12345678"
    )
    documents.link(resident, "passport", PASSPORT, "原件核验", centre)
    documents.link(hk, "passport", PASSPORT, "原件核验", centre)
    found = lookup.find_by_document(DocumentKind.RESIDENT_ID, resident.id_number, "陈大文")
    assert set(found) == {resident, foreign, hk}


@pytest.mark.parametrize(
    "kind, number, reason, message",
    [
        ("passport", "XXX123", "原件核验", "护照"),
        ("passport", PASSPORT, " ", "关联依据"),
        ("resident_id", None, "原件核验", "自身"),
    ],
)
def test_a_link_is_refused_with_the_reason(two_certificates, centre, kind, number, reason, message):
    resident, _foreign = two_certificates
    with pytest.raises(documents.LinkRefused, match=message):
        documents.link(resident, kind, number or resident.id_number, reason, centre)
    assert not DocumentLink.objects.exists()


def test_a_pair_is_linked_once_whichever_side_staff_start_from(two_certificates, centre):
    resident, foreign = two_certificates
    documents.link(resident, "passport", PASSPORT, "原件核验", centre)
    with pytest.raises(documents.LinkRefused, match="已经关联"):
        documents.link(foreign, "resident_id", resident.id_number, "原件核验", centre)
    assert DocumentLink.objects.count() == 1


def test_only_the_centre_links(two_certificates):
    resident, _foreign = two_certificates
    with pytest.raises(documents.LinkRefused):
        documents.link(resident, "passport", PASSPORT, "原件核验", UserFactory(role=roles.BUREAU))


def test_the_staff_page_links_and_shows_the_link(client, two_certificates, centre):
    resident, foreign = two_certificates
    client.force_login(centre)
    url = reverse("certificates:staff_link_document", args=[resident.code])
    refused = client.post(url, {"other_kind": "passport", "other_number": "XXX1", "reason": "原件核验"})
    assert refused.status_code == 400 and "护照" in refused.content.decode()
    response = client.post(url, {"other_kind": "passport", "other_number": PASSPORT, "reason": "原件核验"})
    assert response.status_code == 302
    page = client.get(reverse("certificates:staff_certificate", args=[resident.code])).content.decode()
    assert "护照 " + PASSPORT in page and "关联同一人的证件" in page  # the link and its audit line
    public = client.post(
        "/certificates/lookup/",
        {"by": "id", "document_kind": "passport", "id_number": PASSPORT, "name": "陈大文"},
    )
    body = public.content.decode()
    assert resident.code in body and foreign.code in body
