"""The URL a certificate's QR code carries. One function, so the verification issue can change it
(to a signed URL) without touching the PDF."""

from django.conf import settings
from django.urls import reverse


def public_base_url() -> str:
    return getattr(settings, "CERTIFICATES_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def verification_url(certificate) -> str:
    return public_base_url() + reverse("certificates:verify", args=[certificate.code])
