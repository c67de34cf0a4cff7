"""The navigation bar of every page, rendered once per kind of visitor and then filled in per request.

The bar (templates/portal/_navbar.html) shows the same links to every user with the same roles: a dozen
URL reversals and translations through nine included templates, about a third of a cached staff queue
page's time (issue 9 "Load", bench/load.py). Only two parts change from request to request: the CSRF
field of the logout and language forms, and the language form's "next" path. So the bar is rendered
once per (language, script prefix, signed in, staff, display name, roles, unread count) with markers in
those two places, kept per process, and each request puts them in by one regular-expression pass over
the skeleton (never over the filled-in values). With DEBUG on, it is rendered each time.

The template sees only user (is_authenticated, is_staff, display_name), portal_roles,
unread_notifications, csrf_token and request.get_full_path: anything else would not be in the key.
"""

import functools
import html
import re
from types import SimpleNamespace

from django.conf import settings
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TEMPLATE = "portal/_navbar.html"
_TOKEN = "\ue000token\ue001"  # private-use characters: never in a translation or a URL
_NEXT = "\ue000next\ue001"
_CSRF_FIELD = "\ue000csrf\ue001"
_MARKER = re.compile("\ue000(csrf|next)\ue001")


@functools.lru_cache(maxsize=1024)
def _cached_skeleton(*key) -> str:
    return _skeleton(*key)


def _skeleton(language, script_prefix, signed_in, staff, display_name, roles, unread) -> str:
    # The name is part of the skeleton: a marker character in it is written as a character reference
    # (shown the same), so that a user cannot name themself into the CSRF field.
    name = mark_safe(html.escape(display_name).replace("\ue000", "&#xe000;").replace("\ue001", "&#xe001;"))
    context = {
        "user": SimpleNamespace(is_authenticated=signed_in, is_staff=staff, display_name=name),
        "portal_roles": frozenset(roles),
        "unread_notifications": unread,
        "csrf_token": _TOKEN,
        "request": SimpleNamespace(get_full_path=lambda: _NEXT),
    }
    text = render_to_string(TEMPLATE, context)
    # The whole field, as {% csrf_token %} renders it, becomes one marker: with no token the tag
    # renders nothing at all.
    field = CsrfTokenNode().render({"csrf_token": _TOKEN})
    return text.replace(field, _CSRF_FIELD)


def render(context) -> str:
    """The bar for this template context (a page's RequestContext)."""
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    key = (
        get_language(),
        get_script_prefix(),
        signed_in,
        bool(signed_in and user.is_staff),
        user.display_name if signed_in else "",
        tuple(sorted(context.get("portal_roles") or ())),
        context.get("unread_notifications") or 0,
    )
    skeleton = _skeleton(*key) if settings.DEBUG else _cached_skeleton(*key)
    request = context.get("request")
    values = {
        "csrf": CsrfTokenNode().render(context),  # Django's own tag: the same field, cookie and checks
        "next": html.escape(request.get_full_path()) if request is not None else "",
    }
    return mark_safe(_MARKER.sub(lambda match: values[match.group(1)], skeleton))
