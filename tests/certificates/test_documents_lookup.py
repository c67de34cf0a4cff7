"""The public lookup and the API by document (issue 43 slice 3): type + number + name, the type 居民身份证
when not given (old forms and links); a right number with a wrong name answers exactly as an unknown
number does, for every type; the number masked by its type's rule on the public pages."""

import re

import pytest
from django.urls import reverse
from stdnum.cn import ric

from certificates import lookup
from portal.identifiers import DocumentKind, mask_document
from tests.certificates.factories import CertificateFactory, id_number
from tests.certificates.factories_lookup import fresh_rate_limits  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

URL = "/certificates/lookup/"
API = "/api/v1/certificates/by-document"


def _gb11643(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


# Per type: a number a certificate holds, and another of the same type that nobody holds.
NUMBERS = {
    DocumentKind.RESIDENT_ID: (id_number(41), id_number(42)),
    DocumentKind.RESIDENCE_PERMIT: (_gb11643("81000019880808003"), _gb11643("82000019900101004")),
    DocumentKind.HK_MACAO_PERMIT: ("H12345678", "M87654321"),
    DocumentKind.TAIWAN_PERMIT: ("12345678", "87654321"),
    DocumentKind.PERMANENT_RESIDENCE: ("USA123456789012", "GBR987654321098"),
    DocumentKind.PASSPORT: ("USA123456789", "GBR987654321"),
}


def by_document(client, kind, number, name):
    data = {"by": "id", "id_number": number, "name": name}
    if kind is not None:
        data["document_kind"] = kind
    return client.post(URL, data)


def result_section(response) -> str:
    html = response.content.decode()
    match = re.search(r'<section class="mt-4" data-testid="lookup-result".*?</section>', html, re.S)
    assert match, "no result section"
    return match.group(0)


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_each_type_finds_its_holder_with_the_number_masked_by_its_rule(client, kind):
    number, _unknown = NUMBERS[kind]
    cert = CertificateFactory(holder_name="陈大文", document_kind=kind, id_number=number)
    response = by_document(
        client, kind, number.lower() if kind == DocumentKind.PASSPORT else number, "陈大文"
    )
    section = result_section(response)
    assert response.status_code == 200 and cert.code in section
    assert mask_document(kind, number) in section
    assert number not in response.content.decode().replace(f'value="{number}"', "")  # only the form echoes it
    assert str(kind.label) in section


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_a_right_number_with_a_wrong_name_answers_as_an_unknown_number(client, kind):
    number, unknown = NUMBERS[kind]
    CertificateFactory(holder_name="陈大文", document_kind=kind, id_number=number)
    wrong_name = by_document(client, kind, number, "陈小文")
    unknown_number = by_document(client, kind, unknown, "陈大文")
    assert wrong_name.status_code == unknown_number.status_code == 200
    assert result_section(wrong_name) == result_section(unknown_number)
    assert "未查到符合条件的证书" in result_section(wrong_name)
    api_wrong_name = client.get(API, {"document_type": kind.value, "id_number": number, "name": "陈小文"})
    api_unknown = client.get(API, {"document_type": kind.value, "id_number": unknown, "name": "陈大文"})
    assert api_wrong_name.status_code == api_unknown.status_code == 404
    assert api_wrong_name.json() == api_unknown.json()


def test_the_same_number_under_another_type_finds_nothing(client):
    CertificateFactory(holder_name="陈大文", document_kind=DocumentKind.TAIWAN_PERMIT, id_number="12345678")
    assert lookup.find_by_document(DocumentKind.TAIWAN_PERMIT, "12345678", "陈大文")
    assert lookup.find_by_document(DocumentKind.HK_MACAO_PERMIT, "12345678", "陈大文") == []


def test_an_old_form_without_the_type_reads_as_a_resident_id(client):
    number = id_number(43)
    cert = CertificateFactory(holder_name="刘洋", id_number=number)
    response = by_document(client, None, number, "刘洋")
    assert cert.code in result_section(response)
    api = client.get(API, {"id_number": number, "name": "刘洋"})
    assert api.status_code == 200 and [c["code"] for c in api.json()["certificates"]] == [cert.code]


def test_a_malformed_number_is_refused_naming_its_type_before_any_lookup(client):
    response = by_document(client, DocumentKind.HK_MACAO_PERMIT, "X1234", "陈大文")
    html = response.content.decode()
    assert "港澳居民来往内地通行证号码应为 9 位或 11 位" in html and 'data-testid="lookup-result"' not in html
    api = client.get(API, {"document_type": "hk_macao_permit", "id_number": "X1234", "name": "陈大文"})
    assert api.status_code == 400 and "港澳居民来往内地通行证" in api.json()["message"]
    assert (
        client.get(API, {"document_type": "card", "id_number": "X1234", "name": "陈大文"}).status_code == 400
    )


def test_the_api_answers_a_passport_holder_with_the_type_and_the_masked_number(client):
    number = NUMBERS[DocumentKind.PASSPORT][0]
    cert = CertificateFactory(holder_name="JOHN SMITH", document_kind=DocumentKind.PASSPORT, id_number=number)
    response = client.get(
        API, {"document_type": "passport", "id_number": "usa 123456789", "name": "John Smith"}
    )
    assert response.status_code == 404  # names compare as typed: a Latin name in its own case
    response = client.get(
        API, {"document_type": "passport", "id_number": "usa 123456789", "name": "JOHN SMITH"}
    )
    assert response.status_code == 200
    (answer,) = response.json()["certificates"]
    assert answer["code"] == cert.code and answer["document_kind"] == "passport"
    assert answer["document_kind_label"] == "护照" and answer["id_number_masked"] == mask_document(
        "passport", number
    )
    assert number not in response.content.decode()


def test_the_download_checks_the_full_number_by_the_certificates_type(client):
    number = NUMBERS[DocumentKind.HK_MACAO_PERMIT][0]
    cert = CertificateFactory(
        holder_name="陈大文", document_kind=DocumentKind.HK_MACAO_PERMIT, id_number=number
    )
    url = reverse("certificates:lookup_download")
    wrong = client.post(url, {"code": cert.code, "name": "陈大文", "id_number": "H87654321"})
    assert "证件号码与证书登记信息不符" in wrong.content.decode()
    right = client.post(url, {"code": cert.code, "name": "陈大文", "id_number": "h1234 5678"})
    assert right.status_code == 200 and right["Content-Type"] == "application/pdf"


def test_the_openapi_document_describes_the_lookup_by_document(client):
    document = client.get("/api/openapi.json").json()
    operation = document["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"document_type", "id_number", "name"}
    assert "document_kind" in document["components"]["schemas"]["Certificate"]["properties"]
