"""System checks of the portal's own settings (registered in PortalConfig.ready).

``manage.py check --deploy`` (``make check-deploy``) warns when PORTAL_PUBLIC_URL is unset or names this
machine: every mail, QR code and certificate PDF would then send its reader to a host they cannot reach;
and fails when production settings serve plain http without a redirect (SECURE_SSL_REDIRECT off and
TLS_REDIRECT_AT_PROXY not set)."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_local_host(host: str) -> bool:
    """localhost, 127.0.0.0/8, ::1 or the unspecified 0.0.0.0 / :: (a bind address, not a public one)."""
    host = (host or "").lower().rstrip(".")
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register("portal", deploy=True)
def check_public_url(app_configs=None, **kwargs):
    url = getattr(settings, "PORTAL_PUBLIC_URL", "") or ""
    if not url:
        reason = "PORTAL_PUBLIC_URL is unset"
    else:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            reason = f"PORTAL_PUBLIC_URL={url!r} is not an http(s) address"
        elif is_local_host(parts.hostname):
            reason = f"PORTAL_PUBLIC_URL is unset or points at this machine ({url})"
        else:
            return []
    return [
        Warning(
            f"{reason}: mails, QR codes and certificate PDFs print links nobody else can open.",
            hint="Set PORTAL_PUBLIC_URL to the address users reach the portal at, e.g. https://portal.example.org.",
            id="portal.W001",
        )
    ]


@register("portal")
def check_deprecated_public_url(app_configs=None, **kwargs):
    if not getattr(settings, "CERTIFICATES_PUBLIC_BASE_URL", ""):
        return []
    return [
        Warning(
            "CERTIFICATES_PUBLIC_BASE_URL is deprecated and will no longer be read in the next release.",
            hint="Rename it to PORTAL_PUBLIC_URL (the address of the whole portal, used in every link).",
            id="portal.W002",
        )
    ]


@register("portal", deploy=True)
def check_ssl_redirect(app_configs=None, **kwargs):
    """Issue 30, finding 6: docker-compose turned the redirect off by default and nothing noticed. An
    error (``check --deploy`` exits non-zero), not Django's own warning security.W008: passwords and ID
    numbers would travel in clear."""
    if settings.DEBUG or getattr(settings, "SECURE_SSL_REDIRECT", False):
        return []
    if getattr(settings, "TLS_REDIRECT_AT_PROXY", False):
        return []
    return [
        Error(
            "SECURE_SSL_REDIRECT is off in production settings: the portal answers plain http.",
            hint=(
                "Set SECURE_SSL_REDIRECT=1, or, where TLS ends at a trusted proxy that redirects http "
                "to https itself, TLS_REDIRECT_AT_PROXY=1 (README, 'Behind a proxy')."
            ),
            id="portal.E001",
        )
    ]
