"""The URL a certificate's QR code carries. One function, so the verification issue can change it
(to a signed URL) without touching the PDF."""

from django.conf import settings
from django.urls import reverse


def public_base_url() -> str:
    return getattr(settings, "CERTIFICATES_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def verification_url(certificate) -> str:
    # Issue 8: the URL carries the code and the compact Ed25519 signature over the printed fields
    # (certificates/signing.py), e.g. /certificates/verify/S000012011001263000001/?s=<86 characters>.
    from .signing import sign

    path = reverse("certificates:verify", args=[certificate.code])
    return f"{public_base_url()}{path}?s={sign(certificate)}"
