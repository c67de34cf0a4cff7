"""The navigation bar rendered once per kind of visitor and filled in per request (portal/navbar.py):
byte-identical to the template rendered in full, a working CSRF field, no injection through a name."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal import navbar, roles
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

PATH = '/filings/queue/?q=<b>"x"&page=2'


def template_context(user, portal_roles=frozenset(), unread=0, token="csrf-token-123"):
    return {
        "user": user,
        "portal_roles": portal_roles,
        "unread_notifications": unread,
        "csrf_token": token,
        "request": SimpleNamespace(get_full_path=lambda: PATH),
    }


def visitors():
    staff = UserFactory(role=roles.CENTRE, first_name="审核", last_name="王", is_staff=True)
    applicant = UserFactory(applicant=True, first_name="<script>", last_name="&李")
    expert = UserFactory(role=roles.EXPERT)
    return [
        ("anonymous", AnonymousUser(), frozenset(), 0),
        ("centre staff with 3 unread", staff, frozenset({roles.CENTRE}), 3),
        ("applicant with markup in the name", applicant, frozenset({roles.APPLICANT}), 0),
        ("expert and bureau", expert, frozenset({roles.EXPERT, roles.BUREAU}), 12),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_bar_is_the_template_byte_for_byte(language, settings):
    settings.DEBUG = False
    for label, user, portal_roles, unread in visitors():
        with translation.override(language):
            for _ in range(2):  # the first call renders the skeleton, the second fills the kept one
                context = template_context(user, portal_roles, unread)
                assert navbar.render(context) == render_to_string(navbar.TEMPLATE, context), label


def test_no_token_renders_no_field_as_the_tag_does(settings):
    settings.DEBUG = False
    context = template_context(AnonymousUser(), token="NOTPROVIDED")
    rendered = navbar.render(context)
    assert rendered == render_to_string(navbar.TEMPLATE, context)
    assert "csrfmiddlewaretoken" not in rendered


def test_a_name_cannot_inject_the_csrf_field_or_the_path(settings):
    settings.DEBUG = False
    user = UserFactory(role=roles.CENTRE, first_name="\ue000csrf\ue001", last_name="\ue000next\ue001")
    rendered = navbar.render(template_context(user, frozenset({roles.CENTRE})))
    assert rendered.count('name="csrfmiddlewaretoken"') == 2  # the language and logout forms only
    assert rendered.count("&lt;b&gt;") == 1  # the path, in the language form only
    assert "&#xe000;csrf&#xe001;" in rendered and "\ue000" not in rendered


def test_the_skeleton_is_kept_and_a_new_unread_count_makes_a_new_one(settings):
    settings.DEBUG = False
    navbar._cached_skeleton.cache_clear()
    user = UserFactory(role=roles.CENTRE)
    navbar.render(template_context(user, frozenset({roles.CENTRE}), unread=1))
    navbar.render(template_context(user, frozenset({roles.CENTRE}), unread=1))
    assert navbar._cached_skeleton.cache_info().hits == 1
    rendered = navbar.render(template_context(user, frozenset({roles.CENTRE}), unread=2))
    assert navbar._cached_skeleton.cache_info().misses == 2
    assert re.search(r"badge[^>]*>2<", rendered)


def test_the_pages_csrf_field_logs_out(settings):
    """Through a real page: the field the bar carries is accepted by the CSRF check."""
    settings.DEBUG = False
    user = UserFactory(role=roles.CENTRE)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 2
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[-1]}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302  # signed out: to the login page
    assert Client(enforce_csrf_checks=True).post(reverse("logout")).status_code == 403
