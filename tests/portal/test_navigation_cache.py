"""Roles and the unread notification count come from the cache on every page (issue 9 "Load"): they must
never be stale after a change made through the ORM, the admin or the views."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import audit, roles
from portal.models import User
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it (no per-request role memo)."""
    return User.objects.get(pk=user.pk)


def test_roles_are_read_once_then_from_the_cache():
    user = UserFactory(role=roles.CENTRE)
    cache.delete(roles.roles_cache_key(user))
    assert roles.roles_of(fresh(user)) == {roles.CENTRE}
    with CaptureQueriesContext(connection) as queries:
        assert roles.roles_of(fresh(user)) == {roles.CENTRE}
    assert not [q for q in queries if "auth_group" in q["sql"]]


def test_a_role_taken_away_is_gone_on_the_next_request():
    user = UserFactory(role=roles.CENTRE)
    assert roles.is_staff_reviewer(fresh(user))
    fresh(user).groups.remove(Group.objects.get(name=roles.CENTRE))
    assert not roles.is_staff_reviewer(fresh(user))
    fresh(user).groups.add(Group.objects.get(name=roles.BUREAU))
    assert roles.roles_of(fresh(user)) == {roles.BUREAU}
    fresh(user).groups.clear()
    assert roles.roles_of(fresh(user)) == frozenset()


def test_memberships_changed_from_the_group_side_and_groups_renamed_or_deleted():
    user = UserFactory(role=roles.EXPERT)
    expert = Group.objects.get(name=roles.EXPERT)
    assert roles.roles_of(fresh(user)) == {roles.EXPERT}
    expert.user_set.remove(user)
    assert roles.roles_of(fresh(user)) == frozenset()
    expert.user_set.add(user)
    assert roles.roles_of(fresh(user)) == {roles.EXPERT}
    expert.user_set.clear()
    assert roles.roles_of(fresh(user)) == frozenset()

    centre = Group.objects.get(name=roles.CENTRE)
    other = UserFactory(role=roles.CENTRE)
    assert roles.roles_of(fresh(other)) == {roles.CENTRE}
    centre.name = "centre_staff_retired"
    centre.save()
    assert roles.roles_of(fresh(other)) == frozenset()
    bureau = Group.objects.get(name=roles.BUREAU)
    third = UserFactory(role=roles.BUREAU)
    assert roles.roles_of(fresh(third)) == {roles.BUREAU}
    bureau.delete()
    assert roles.roles_of(fresh(third)) == frozenset()


def test_the_unread_count_follows_new_and_read_notifications(client):
    user = UserFactory(role=roles.CENTRE)
    assert audit.unread_count(user) == 0
    audit.notify(user, "有新的申请待审核")
    assert audit.unread_count(user) == 1
    with CaptureQueriesContext(connection) as queries:
        assert audit.unread_count(user) == 1
    assert len(queries) == 0
    audit.notify(user, "又一份")
    assert audit.unread_count(user) == 2
    client.force_login(user)
    assert client.post(reverse("notifications_read")).status_code == 302
    assert audit.unread_count(user) == 0
    note = audit.notify(user, "第三份")
    assert audit.unread_count(user) == 1
    note.delete()
    assert audit.unread_count(user) == 0


def test_the_badge_on_a_page_shows_the_fresh_count(client):
    user = UserFactory(role=roles.CENTRE)
    client.force_login(user)
    assert client.get(reverse("dashboard")).context["unread_notifications"] == 0
    audit.notify(user, "有新的申请待审核")
    assert client.get(reverse("dashboard")).context["unread_notifications"] == 1


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [
        ("redis://127.0.0.1:6379/1", "django.contrib.sessions.backends.cached_db"),
        ("locmemcache://x", "django.contrib.sessions.backends.db"),
    ],
)
def test_sessions_go_through_the_cache_only_when_it_is_shared(cache_url, engine):
    env = {**os.environ, "CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_ENGINE)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == engine
