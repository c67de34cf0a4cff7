"""Every state-changing URL POSTed with a valid CSRF token by every person (issue 22, "Not reached by
the review"), against ``POST_MATRIX`` in tests/hardening/access_matrix.py.

For each row and person: log in, take a snapshot of every row of every table of the project's apps (the
audit trail, the outbox, the objects' states), POST the row's data with a valid token, compare. A refused
person (login, 400, 403, 404, refused) must leave the snapshot exactly as it was; the person the row
accepts (ok) gets a redirect or page with a success message and, unless the row says ``changes=False``,
a changed snapshot. Each POST runs in a savepoint rolled back afterwards, so every person meets the same
world (the accepted POST of one does not turn the next one's into a no-op)."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.hardening.access_matrix import MATRIX, PEOPLE, POST_MATRIX
from tests.hardening.test_authorization_matrix import resolve_kwargs, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("portal", "filings", "certification", "appraisals", "certificates", "eligibility", "talent")
VOLATILE = {("portal", "user"): {"last_login"}}  # force_login writes it before the snapshot anyway


def snapshot() -> dict:
    """Every row of every model of the project's apps, as plain values ordered by primary key."""
    state = {}
    for config in apps.get_app_configs():
        if config.label not in PROJECT_APPS:
            continue
        for model in config.get_models():
            skip = VOLATILE.get((config.label, model._meta.model_name), set())
            fields = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
            state[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
        for model in config.get_models():  # many-to-many tables (group memberships, panels)
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through
                state[through._meta.label] = list(through.objects.order_by("pk").values_list())
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


def csrf_client(user) -> tuple[Client, str]:
    """A client that enforces CSRF, logged in as ``user``, with a valid token cookie; returns the token
    to send in the form (masked, as a rendered {% csrf_token %} would give it)."""
    cache.clear()  # rate limits count per address; everyone here is 127.0.0.1
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return client, token


def resolve_data(w, data: dict) -> dict:
    """Row data: "=text" literal, else an attribute path in the world (re-read from the database)."""
    out = {}
    for name, path in data.items():
        if path.startswith("="):
            out[name] = path[1:]
            continue
        head, _dot, attribute = path.partition(".")
        obj = getattr(w, head)
        if attribute == "version":  # the version the page would show now
            out[name] = str(type(obj).objects.values_list("version", flat=True).get(pk=obj.pk))
        else:
            out[name] = str(resolve_kwargs(w, {"v": path})["v"])
    return out


def route_of(key: str) -> str:
    return key.split("/", 1)[0]


def outcome(response) -> str:
    """What one POST did, in the words of the table."""
    status = response.status_code
    levels = {m.level for m in get_messages(response.wsgi_request)}
    if status == 302:
        location = response["Location"]
        if location.startswith(settings.LOGIN_URL) or "/login/" in location:
            return "login"
        if message_levels.ERROR in levels or message_levels.WARNING in levels:
            return "refused"
        return "ok"
    if status == 200:
        return "refused" if message_levels.ERROR in levels else "ok"
    return str(status)


def post_as(w, key, who):
    """POSTs row ``key`` as ``who`` inside a savepoint; returns (outcome, tables changed, response)."""
    row = POST_MATRIX[key]
    url = reverse(route_of(key), kwargs=resolve_kwargs(w, row.kwargs))
    client, token = csrf_client(w.people[who])
    data = {**resolve_data(w, row.data), "csrfmiddlewaretoken": token}
    savepoint = transaction.savepoint()
    try:
        before = snapshot()
        response = client.post(url, data)
        changed = changed_tables(before, snapshot())
    finally:
        transaction.savepoint_rollback(savepoint)
    return outcome(response), changed, response


def test_every_post_only_route_is_in_the_post_matrix():
    posted = {route_of(key) for key in POST_MATRIX}
    expected = {route for route, row in MATRIX.items() if row.post}
    assert sorted(expected - posted) == [], "POST-only views without a row in POST_MATRIX"
    assert sorted(posted - expected) == [], "POST_MATRIX rows for views that are not POST-only"


def test_every_filing_action_is_posted():
    from filings.views.after_filing import CHANGE_ACTIONS
    from filings.views.application import ACTIONS

    acts = {key.split("/", 1)[1] for key in POST_MATRIX if route_of(key) == "filings:act"}
    assert acts == set(ACTIONS) | {"assign", "submit"}
    changes = {key.split("/", 1)[1] for key in POST_MATRIX if route_of(key) == "filings:change_act"}
    assert changes == set(CHANGE_ACTIONS)


@pytest.fixture
def post_world(world):  # noqa: F811 (the fixture imported above)
    """The matrix world plus institution A filings in every state a staff action starts from."""
    import datetime

    from filings.constants import State
    from tests.filings.factories import in_state

    institution = world.institution_a
    world.carol = world.people["carol"]
    for state in (
        State.SUBMITTED,
        State.UNDER_EVALUATION,
        State.EVALUATED,
        State.APPROVED,
        State.AWAITING_RECORD,
        State.PUBLISHED,
    ):
        setattr(world, f"at_{state}", in_state(state, institution=institution))
    world.at_publicity_over = in_state(
        State.IN_PUBLICITY,
        institution=institution,
        publicity_start=datetime.date(2026, 1, 5),
        publicity_end=datetime.date(2026, 1, 9),
    )
    return world


def test_observe(post_world):
    """MATRIX_OBSERVE=1 prints what every person gets on every POST row (to review by hand)."""
    import os

    if not os.environ.get("MATRIX_OBSERVE"):
        pytest.skip("set MATRIX_OBSERVE=1 to print observed rows")
    for key in POST_MATRIX:
        got = []
        for who in PEOPLE:
            result, changed, response = post_as(post_world, key, who)
            got.append(f"{who}={result}{'*' if changed else ''}")
            if changed or result in ("ok", "refused"):
                messages = [str(m) for m in get_messages(response.wsgi_request)]
                print(f"  {key} {who}: {response.status_code} {changed} {messages}")
        print(f"OBSERVED {key:45s} {' '.join(got)}")


@pytest.mark.parametrize("key", list(POST_MATRIX))
def test_post_with_token(key, post_world):
    row = POST_MATRIX[key]
    got, changes = {}, {}
    for who in PEOPLE:
        got[who], changes[who], _response = post_as(post_world, key, who)
    assert got == row.expected(), key
    for who, result in got.items():
        if result == "ok":
            if row.changes:
                assert changes[who], f"{key}: {who} was told it worked, but nothing changed"
        else:
            assert changes[who] == [], f"{key}: refused for {who} ({result}) yet changed {changes[who]}"


@pytest.mark.parametrize("route", sorted(route for route, row in MATRIX.items() if row.post))
def test_stray_get_changes_nothing(route, post_world):
    """Issue 29 item 5: a GET of a POST-only address (a reload, a pasted link) is answered with the
    object's page, and leaves every table as it was, for every person (the logout too keeps the
    session: the user is still logged in afterwards)."""
    row = MATRIX[route]
    url = reverse(route, kwargs=resolve_kwargs(post_world, row.kwargs))
    for who in PEOPLE:
        client, _token = csrf_client(post_world.people[who])
        savepoint = transaction.savepoint()
        try:
            before = snapshot()
            response = client.get(url)
            changed = changed_tables(before, snapshot())
        finally:
            transaction.savepoint_rollback(savepoint)
        assert response.status_code != 405, f"{url}: bare 405 for {who}"
        assert changed == [], f"{url}: a GET by {who} changed {changed}"
        if post_world.people[who] is not None:
            assert client.get(reverse("notifications")).status_code == 200, f"{url}: {who} was logged out"
