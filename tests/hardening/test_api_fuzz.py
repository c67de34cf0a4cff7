"""Schemathesis against the OpenAPI document of the certificates JSON API (issue 9 "Bad input"): no
generated input gives a server error.

The schema is read from the running Django WSGI application (``/api/openapi.json``, as a third party
would), then Schemathesis generates requests from it (valid and invalid query strings, odd Unicode,
missing parameters) and calls the same application in-process. The certificate of the schema's own
example (S000012011001263000001, 张伟) exists, so the "found" path is exercised too. Kept to 50 examples
per operation and phase so it runs in seconds.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.certificates.factories import CertificateFactory, id_number


@pytest.fixture
def api_schema(db, settings):  # noqa: F811 (pytest-django's settings fixture)
    from django.core import signals
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections

    # The per-IP lookup budget would answer 429 after 20 calls and hide the API's own behaviour.
    settings.CERTIFICATE_LOOKUP_RATE = "1000000/m"
    cache.clear()
    CertificateFactory(code="S000012011001263000001", serial=1, holder_name="张伟", id_number=id_number(1))
    # Django's own WSGI handler (what portal.wsgi.application is: middleware, URLconf, views). As Django's
    # test client does, the end of a request must not close the test's database connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def fuzz(schema, mode) -> int:
    """Runs up to 50 generated cases of ``mode`` against every operation; returns how many ran."""
    seen = []

    @given(case=schema.as_strategy(generation_mode=mode))
    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        response = case.call()
        seen.append(response.status_code)
        assert response.status_code < 500, (case.path, case.query, response.status_code, response.text[:300])
        case.validate_response(response, checks=[not_a_server_error])

    check()
    return seen


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_api_never_answers_a_server_error(api_schema, mode):
    statuses = fuzz(api_schema, mode)
    print(f"{mode.value}: {len(statuses)} generated requests, statuses {sorted(set(statuses))}")
    assert statuses


def test_the_schema_example_is_found(api_schema, client):
    """The documented example answers 200 with the masked ID (the "found" path the fuzzing reaches)."""
    response = client.get("/api/v1/certificates/verify", {"code": "S000012011001263000001", "name": "张伟"})
    assert response.status_code == 200
    assert response.json()["id_number_masked"].count("*") == 8
