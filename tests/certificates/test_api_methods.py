"""The JSON API answers every method but GET with a JSON 405, before and instead of the CSRF check
(issue 22 finding 4): a POST without token never gets the HTML page meant for forms."""

import pytest
from django.test import Client

from tests.certificates.factories_lookup import fresh_rate_limits  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("path", ["/api/v1/certificates/verify", "/api/openapi.json"])
def test_a_post_without_token_gets_405_json(strict, path):
    response = strict.post(path, {"code": "S000012011001263000001", "name": "张伟"})
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == "GET"
    assert response.json()["detail"] == "method_not_allowed"
    assert "表单已失效" not in response.content.decode()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_get_405_json_too(strict, method):
    response = getattr(strict, method)("/api/v1/certificates/verify")
    assert response.status_code == 405 and response.json()["detail"] == "method_not_allowed"


def test_get_still_answers(strict):
    assert strict.get("/api/v1/certificates/verify", {"code": "x", "name": "y"}).status_code == 404
