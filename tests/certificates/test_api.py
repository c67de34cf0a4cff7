"""The JSON API (GET /api/v1/certificates/verify): 200 with the public fields, the same 404 for a wrong
name or code, 400, the shared rate limit (JSON 429), the log; the OpenAPI document and its docs page."""

import json
import re

import pytest
import time_machine
from django.urls import reverse

from certificates.models import LookupEvent
from tests.certificates.factories import CertificateFactory
from tests.certificates.factories_lookup import fresh_rate_limits  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

URL = "/api/v1/certificates/verify"


def test_url():
    assert reverse("certificates:api_verify") == URL


def test_found_gives_200_with_the_public_fields(client):
    cert = CertificateFactory(holder_name="王芳", work_type="——")
    response = client.get(URL, {"code": cert.code, "name": "王芳"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data == {
        "code": cert.code,
        "kind": "grade",
        "kind_label": "职业技能等级证书",
        "holder_name": "王芳",
        "document_kind": "resident_id",
        "document_kind_label": "居民身份证",
        "id_number_masked": cert.id_number[:6] + "********" + cert.id_number[-4:],
        "sex": "男",
        "occupation_code": cert.occupation_code,
        "occupation_name": cert.occupation_name,
        "work_type": "——",
        "level": 3,
        "level_name": "三级/高级工",
        "institution_name": cert.institution_name,
        "issuer_label": "评价机构",
        "issue_date": cert.issue_date.isoformat(),
        "status": "valid",
        "status_label": "有效",
        "revoked_on": None,
    }
    assert cert.id_number not in response.content.decode()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-store"


def test_revoked_gives_200_marked_revoked(client):
    cert = CertificateFactory(revoked=True)
    data = client.get(URL, {"code": cert.code, "name": cert.holder_name}).json()
    assert data["status"] == "revoked" and data["revoked_on"] == cert.revoked_on.isoformat()
    assert "revoked_reason" not in data


def test_wrong_name_and_wrong_code_give_the_same_404(client):
    cert = CertificateFactory(holder_name="李娜")
    wrong_name = client.get(URL, {"code": cert.code, "name": "李四"})
    wrong_code = client.get(URL, {"code": cert.code[:-6] + "999999", "name": "李娜"})
    malformed = client.get(URL, {"code": "XYZ", "name": "李娜"})
    assert wrong_name.status_code == wrong_code.status_code == malformed.status_code == 404
    assert wrong_name.content == wrong_code.content == malformed.content
    assert wrong_name.json()["detail"] == "not_found"


@pytest.mark.parametrize(
    "query", [{}, {"code": "S000012011001263000001"}, {"name": "张伟"}, {"code": " ", "name": "张伟"}]
)
def test_missing_parameters_give_400(client, query):
    response = client.get(URL, query)
    assert response.status_code == 400 and response.json()["detail"] == "invalid"


def test_post_is_refused(client):
    assert client.post(URL, {"code": "x", "name": "y"}).status_code == 405


def test_same_rate_limit_as_the_pages_in_json(client, settings):
    settings.CERTIFICATE_LOOKUP_RATE = "2/m"
    cert = CertificateFactory()
    query = {"code": cert.code, "name": cert.holder_name}
    with time_machine.travel("2027-03-10 10:00:00 +0800", tick=False):  # a whole minute left
        assert client.get(URL, query).status_code == 200
        # the budget is shared with the lookup page
        client.post("/certificates/lookup/", {"by": "code", "code": cert.code, "name": cert.holder_name})
        limited = client.get(URL, query)
    assert limited.status_code == 429
    assert limited.json()["detail"] == "rate_limited" and limited["Retry-After"] == "60"


def test_every_call_is_logged(client):
    cert = CertificateFactory()
    client.get(URL, {"code": cert.code, "name": cert.holder_name})
    client.get(URL, {"code": cert.code, "name": "某某"})
    client.get(URL, {"code": cert.code})
    assert list(LookupEvent.objects.order_by("id").values_list("kind", "outcome")) == [
        ("api", "found"),
        ("api", "not_found"),
        ("api", "invalid"),
    ]


def test_the_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    operation = document["paths"]["/api/v1/certificates/verify"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"code", "name"}
    assert set(operation["responses"]) == {"200", "400", "404", "429"}
    schema = document["components"]["schemas"]["Certificate"]
    # the documented fields are exactly what the API answers
    cert = CertificateFactory()
    answered = client.get(URL, {"code": cert.code, "name": cert.holder_name}).json()
    assert set(schema["properties"]) == set(answered)
    assert document["servers"] == [{"url": "http://testserver"}]


def test_the_docs_page_renders_the_document_without_scripts_of_its_own(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "/api/v1/certificates/verify" in html and "id_number_masked" in html and "/api/openapi.json" in html
    )
    scripts = re.findall(r"<script([^>]*)>", html)
    # only the portal's own bundle: no CDN, no inline script
    assert scripts and all('src="/static/' in attrs for attrs in scripts)
    assert "http://" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', html)).replace(
        "http://testserver", ""
    )
