"""POST-only addresses opened by URL (issue 29 item 5).

A reloaded result, a bookmarked button or a pasted link used to answer GET with a bare 405, which the
browser shows as its own English "HTTP ERROR 405". ``post_only(page)`` replaces ``require_POST``: a
GET or HEAD is sent to the object's own page with a message instead. ``page(request, *args, **kwargs)``
returns that page's address and applies the same visibility rule as the POST (it raises Http404 or
PermissionDenied for an outsider), so a stray GET tells nobody more than the POST would; it never
changes anything. Put ``login_required`` outside, as for the POST. ``page`` may also be a URL name.

``MethodNotAllowedMiddleware`` renders any other bare 405 (another method, a view of Django's own) as
a Chinese page with a way back."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, resolve_url
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

STRAY_GET_MESSAGE = gettext_lazy("该操作需要在页面上点击按钮提交，已为您打开相关页面。")


def post_only(page):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                url = page(request, *args, **kwargs) if callable(page) else resolve_url(page)
                if request.method == "GET":  # a HEAD (a link preview) shows no page to read it on
                    messages.info(request, STRAY_GET_MESSAGE)
                return redirect(url)
            return HttpResponseNotAllowed(["POST"])

        return wrapper

    return decorator


class MethodNotAllowedMiddleware:
    """Gives a bare 405 (no page of its own) the portal's Chinese page, keeping the status and Allow."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False) or response.content:
            return response  # a 405 with a body of its own (the API's JSON) keeps it
        page = render_to_string("405.html", request=request)
        response.content = page.encode()
        response["Content-Type"] = "text/html; charset=utf-8"
        return response
