"""Absolute links to the portal, for whatever leaves it: mails, QR codes, PDFs.

The one place that knows the portal's public address (settings.PORTAL_PUBLIC_URL, README "Settings");
pages inside the portal keep relative links. The address may carry a path prefix
(``https://example.org/jineng``), so the path is appended, not joined."""

from django.conf import settings


def public_url() -> str:
    """The portal's public address without a trailing slash, e.g. ``https://portal.example.org``."""
    return settings.PORTAL_PUBLIC_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``/filings/17/`` -> ``https://portal.example.org/filings/17/`` (a path from ``reverse()``)."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url() takes a path starting with '/', not {path!r}")
    return public_url() + path
