"""Helpers of the lookup, verification and export tests (issue 8), on top of factories.py."""

import pytest
from django.core.cache import cache

from certificates import signing
from certificates.urls_for import verification_url
from tests.certificates.factories import CertificateFactory, id_number  # noqa: F401 (re-exported)


@pytest.fixture
def fresh_rate_limits():
    """The rate limit counts in the cache: every test starts with a clean budget."""
    cache.clear()
    yield
    cache.clear()


def certificate(**kwargs):
    """A certificate with a recognisable holder (张伟, ID 120101199001010012...)."""
    return CertificateFactory(**kwargs)


def signed_path(cert) -> str:
    """The path and query of the certificate's QR link (what a phone opens)."""
    url = verification_url(cert)
    return url[url.index("/certificates/") :]


def signature_of(cert) -> str:
    return signing.sign(cert)
