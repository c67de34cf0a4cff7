"""The URL a certificate's QR code carries. One function, so the verification issue can change it
(to a signed URL) without touching the PDF."""

from django.urls import reverse

from portal.links import absolute_url


def verification_url(certificate) -> str:
    # Issue 8: the URL carries the code and the compact Ed25519 signature over the printed fields
    # (certificates/signing.py), e.g. /certificates/verify/S000012011001263000001/?s=<86 characters>.
    # The host is the portal's public address (portal/links.py, settings.PORTAL_PUBLIC_URL).
    from .signing import sign

    path = reverse("certificates:verify", args=[certificate.code])
    return absolute_url(f"{path}?s={sign(certificate)}")
