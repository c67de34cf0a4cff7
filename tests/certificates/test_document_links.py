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


# --- undoing a link, the admin (issue 43 slice 4) -------------------------------------------------------


def test_the_centre_undoes_a_link_with_a_reason_and_the_trail_records_it(client, two_certificates, centre):
    from portal import audit

    resident, foreign = two_certificates
    row = documents.link(resident, "passport", PASSPORT, "原件核验", centre)
    client.force_login(centre)
    page = client.get(reverse("certificates:staff_certificate", args=[resident.code])).content.decode()
    assert f'data-testid="unlink-form-{row.pk}"' in page
    url = reverse("certificates:staff_unlink_document", args=[resident.code, row.pk])

    # no reason: nothing undone, the page says why
    response = client.post(url, {"reason": "  "}, follow=True)
    assert "请填写解除关联的理由" in response.content.decode() and DocumentLink.objects.count() == 1

    response = client.post(url, {"reason": "核验有误，并非同一人"})
    assert response.status_code == 302 and not DocumentLink.objects.exists()
    event = audit.trail(resident).get(event="certificate_documents_unlinked")
    assert event.actor == centre and event.comment == "核验有误，并非同一人"
    assert event.data["other_kind"] == "passport" and PASSPORT not in event.data["other_number"]
    # each document finds only its own certificates again
    assert lookup.find_by_document(DocumentKind.PASSPORT, PASSPORT, "陈大文") == [foreign]
    page = client.get(reverse("certificates:staff_certificate", args=[resident.code])).content.decode()
    assert "解除同一人的证件关联" in page  # the audit line


def test_a_link_is_undone_only_from_a_certificate_it_names(client, two_certificates, centre):
    resident, _foreign = two_certificates
    row = documents.link(resident, "passport", PASSPORT, "原件核验", centre)
    stranger = CertificateFactory(holder_name="李四", id_number=id_number(52))
    client.force_login(centre)
    url = reverse("certificates:staff_unlink_document", args=[stranger.code, row.pk])
    assert client.post(url, {"reason": "错误"}).status_code == 404
    with pytest.raises(documents.LinkRefused, match="不涉及"):
        documents.unlink(stranger, row, "错误", centre)
    assert DocumentLink.objects.count() == 1


@pytest.mark.parametrize("role", [roles.BUREAU, roles.APPLICANT])
def test_only_the_centre_undoes_a_link(two_certificates, centre, role):
    resident, _foreign = two_certificates
    row = documents.link(resident, "passport", PASSPORT, "原件核验", centre)
    with pytest.raises(documents.LinkRefused, match="只有市鉴定中心"):
        documents.unlink(resident, row, "错误", UserFactory(role=role))
    assert DocumentLink.objects.count() == 1


def test_the_admin_lists_links_masked_finds_them_by_number_and_changes_nothing(
    client, two_certificates, centre
):
    from portal.identifiers import mask_document

    resident, _foreign = two_certificates
    row = documents.link(resident, "passport", PASSPORT, "原件核验", centre)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:certificates_documentlink_changelist")
    listing = client.get(url).content.decode()
    assert mask_document(DocumentKind.PASSPORT, PASSPORT) in listing and PASSPORT not in listing
    assert resident.id_number not in listing
    found = client.get(url, {"q": "usa-123 456 789"}).content.decode()
    assert mask_document(DocumentKind.PASSPORT, PASSPORT) in found
    none = client.get(url, {"q": "USA999999999"}).content.decode()
    assert mask_document(DocumentKind.PASSPORT, PASSPORT) not in none
    detail = client.get(reverse("admin:certificates_documentlink_change", args=[row.pk]))
    assert detail.status_code == 200 and 'name="reason"' not in detail.content.decode()  # read-only
    assert client.get(reverse("admin:certificates_documentlink_add")).status_code == 403
    assert client.get(reverse("admin:certificates_documentlink_delete", args=[row.pk])).status_code == 403
