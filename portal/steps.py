"""The one shape of a view that runs a service step (issue 31 part 3): run it, say how it went, go back.

A POST view finds its object (its own visibility rule: an outsider gets the 404 first), then hands the
service call to :func:`run`::

    return steps.run(request, lambda: after.revoke(filing, request.user, reason=...),
                     _("已撤销备案。"), "filings:after_filing", filing.pk)

``run`` calls it; a refusal of the services (``errors.PortalError``: ``NotPermitted``, ``Stale``, a
workflow's ``WorkflowError``) becomes an error message, one per problem of an ``errors.Refused``; on
success ``done`` is shown (a text, or a function of what the call returned; nothing when it gives
nothing). Either way it redirects to ``back`` (what ``django.shortcuts.redirect`` takes). Anything
else the call raises (Http404, a bug) goes on up."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect

from . import roles
from .errors import PortalError


def refused(request, error: PortalError) -> None:
    """The refusal as messages: each problem of a Refused on its own line, else its one text."""
    for text in getattr(error, "problems", None) or [str(error)]:
        messages.error(request, text)


def attempt(request, call: Callable, done=None, *, level=messages.SUCCESS) -> bool:
    """Runs ``call()``; True after ``done`` was shown, False after the refusal was."""
    try:
        result = call()
    except PortalError as error:
        refused(request, error)
        return False
    text = done(result) if isinstance(done, Callable) else done
    if text:
        messages.add_message(request, level, text)
    return True


def run(request, call: Callable, done, *back, level=messages.SUCCESS):
    """Runs ``call()`` as :func:`attempt` does, then redirects to ``back`` (``redirect(*back)``)."""
    attempt(request, call, done, level=level)
    return redirect(*back)


def only(request, *role_names: str) -> None:
    """A page of ``role_names`` only: anybody else gets the 404 an unknown address gets."""
    if not roles.has_role(request.user, *role_names):
        raise Http404


def for_role(*role_names: str):
    """A page of ``role_names`` only: login first (``login_required``), then :func:`only`."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            only(request, *role_names)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
