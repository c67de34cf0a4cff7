"""The QR verification page, rendered from its template once per language and outcome, then filled in.

Phones open this page from printed QR codes, many times a second at peaks (issue 8 "Speed"). Django's
template engine took about 0.3 ms to render it, most of it translating the fixed texts; the fixed parts
depend only on the language and the outcome. So the template is rendered once per (language, outcome,
script prefix) with marker texts in place of the certificate's fields, and each request puts the escaped
fields in with one regular-expression pass over that skeleton (about 15 us). The pass runs over the
skeleton only: a field's own text is never searched for markers, so a name cannot inject one.

With DEBUG on, the skeleton is rendered each time, so template edits show at once.
"""

import functools
import html
import re
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

from .lookup import Outcome, PublicCertificate, Verification

TEMPLATE = "certificates/public/verify.html"
# Every text attribute of PublicCertificate a template may show, plus the printed dates.
FIELDS = (
    *(
        name
        for name in PublicCertificate.__dataclass_fields__
        if name not in ("level", "issue_date", "revoked_on")
    ),
    "issue_date_text",
    "revoked_on_text",
)
_MARKER = re.compile("\ue000([a-z_]+)\ue001")  # private-use characters around a field name


@functools.lru_cache(maxsize=8)
def standalone_links(script_prefix: str) -> dict:
    """The fixed URLs of the light page, reversed once per process (not on every verification)."""
    return {
        "home": reverse("home"),
        "lookup": reverse("certificates:lookup"),
        "about": reverse("certificates:about"),
        "bootstrap_css": static("vendor/bootstrap/bootstrap.min.css"),
        "portal_css": static("portal/portal.css"),
        "favicon": static("portal/favicon.svg"),
    }


def _marker(name: str) -> str:
    return f"\ue000{name}\ue001"


def _skeleton(language: str | None, outcome: str, script_prefix: str) -> str:
    certificate = None
    if outcome in (Outcome.VALID, Outcome.REVOKED):
        certificate = SimpleNamespace(
            **{name: _marker(name) for name in FIELDS}, is_revoked=outcome == Outcome.REVOKED
        )
    context = {
        "result": SimpleNamespace(certificate=certificate),
        "outcome": outcome,
        "links": standalone_links(script_prefix),
    }
    return render_to_string(TEMPLATE, context)


def _split(skeleton: str) -> tuple[str, list[str], tuple[str, ...]]:
    """The skeleton, its pieces (fixed texts at even places, field names at odd ones) and the names."""
    pieces = _MARKER.split(skeleton)
    return skeleton, pieces, tuple(pieces[1::2])


@functools.lru_cache(maxsize=64)
def _cached_skeleton(language: str | None, outcome: str, script_prefix: str):
    """:func:`_skeleton`, split (:func:`_split`), once per process and key."""
    return _split(_skeleton(language, outcome, script_prefix))


def render(result: Verification, language: str | None = None) -> str:
    """The page for this verification, in the active language (``language`` when the caller has it at
    hand: request.LANGUAGE_CODE, without another get_language() through asgiref's Local)."""
    key = (language or get_language(), result.public_outcome, get_script_prefix())
    skeleton, pieces, names = _split(_skeleton(*key)) if settings.DEBUG else _cached_skeleton(*key)
    certificate = result.certificate
    if certificate is None or not names:
        return skeleton
    # Only the fields the page shows, escaped as django.utils.html.escape does (html.escape, without its
    # lazy-string wrapper), in one call over their texts joined by NUL: no field holds one (PostgreSQL
    # text cannot), and should one ever, each is escaped on its own. Issue 42 item 1.
    values = [str(getattr(certificate, name)) for name in names]
    escaped = html.escape("\x00".join(values)).split("\x00")
    if len(escaped) != len(values):
        escaped = [html.escape(value) for value in values]
    filled = pieces.copy()
    filled[1::2] = escaped
    return "".join(filled)
