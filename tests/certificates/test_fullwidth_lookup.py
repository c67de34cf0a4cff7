"""Codes, ID numbers and names typed in full width (Chinese phone keyboards) or with ideographic spaces
are found by the API, the lookup page and the QR verification path (issue 22 finding 5)."""

from urllib.parse import quote

import pytest

from certificates.models import LookupEvent
from tests.certificates.factories import CertificateFactory
from tests.certificates.factories_lookup import fresh_rate_limits, signature_of  # noqa: F401
from tests.portal.factories import id_number
from tests.portal.test_typed_text import IDEOGRAPHIC_SPACE, fullwidth

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


def test_a_fullwidth_code_is_found_by_the_api_and_logged_as_ascii(client):
    cert = CertificateFactory(holder_name="王芳")
    response = client.get(
        "/api/v1/certificates/verify",
        {"code": fullwidth(cert.code.lower()), "name": f"{IDEOGRAPHIC_SPACE}王芳{IDEOGRAPHIC_SPACE}"},
    )
    assert response.status_code == 200 and response.json()["code"] == cert.code
    assert LookupEvent.objects.get().code == cert.code


def test_a_fullwidth_code_is_found_by_the_lookup_page(client):
    cert = CertificateFactory(holder_name="王芳")
    typed = f"{fullwidth(cert.code[:8])}{IDEOGRAPHIC_SPACE}{fullwidth(cert.code[8:])}"
    response = client.post("/certificates/lookup/", {"by": "code", "code": typed, "name": "王　芳"})
    assert response.status_code == 200
    assert cert.code in response.content.decode() and "未查到" not in response.content.decode()


def test_a_fullwidth_id_number_is_found_by_the_lookup_page(client):
    number = id_number(13)
    assert number.endswith("X")
    cert = CertificateFactory(holder_name="李娜", id_number=number)
    typed = f"{fullwidth(number[:6])}{IDEOGRAPHIC_SPACE}{fullwidth(number[6:])}"
    response = client.post("/certificates/lookup/", {"by": "id", "id_number": typed, "name": "李娜"})
    assert response.status_code == 200
    body = response.content.decode()
    assert cert.code in body and "身份证号码应为 18 位" not in body


def test_a_fullwidth_code_in_the_qr_path_is_verified(client):
    cert = CertificateFactory()
    path = f"/certificates/verify/{quote(fullwidth(cert.code))}/"
    response = client.get(path, {"s": signature_of(cert)})
    assert response.status_code == 200 and cert.holder_name in response.content.decode()
