"""portal.steps: the one shape of a view that runs a service step (issue 31 part 3)."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404
from django.test import RequestFactory

from portal import errors, roles, steps


def post():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def said(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_a_step_that_runs_says_done_and_goes_back():
    request = post()
    response = steps.run(request, lambda: 3, lambda n: f"done {n}", "/back/")
    assert response.status_code == 302 and response["Location"] == "/back/"
    assert said(request) == [("success", "done 3")]


def test_a_refusal_is_one_message_per_problem_and_goes_back_too():
    request = post()

    def refuse():
        raise errors.Refused(["one", "two"])

    assert steps.run(request, refuse, "never", "/back/")["Location"] == "/back/"
    assert said(request) == [("error", "one"), ("error", "two")]
    request = post()
    assert not steps.attempt(request, lambda: (_ for _ in ()).throw(errors.NotPermitted("no")), "never")
    assert said(request) == [("error", "no")]


def test_anything_else_goes_on_up():
    def broken():
        raise KeyError("bug")

    with pytest.raises(KeyError):
        steps.run(post(), broken, "never", "/back/")


@pytest.mark.django_db
def test_only_is_a_404_for_anybody_else(carol, erin):
    request = post()
    request.user = carol
    steps.only(request, roles.CENTRE)
    request.user = erin
    with pytest.raises(Http404):
        steps.only(request, roles.CENTRE)
