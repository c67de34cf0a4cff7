"""A fast lane through Django for the few public GET views that carry the portal's peak traffic.

Phones opening printed QR codes and third parties calling the verification API (issue 8 "Speed") ask
for one certificate each, thousands of times a minute. Those views read no session, user, CSRF token or
message and serve no static file, yet every request paid for the middleware that provide them and for
resolving its path against the whole URLconf: a third of such a request's cost (bench/lookup.py).

A view marked :func:`fast_lane` is therefore served, for GET requests, by a second Django handler that
differs from the main one in two ways only:

- the middleware named in ``settings.FAST_LANE_SKIPPED_MIDDLEWARE`` are left out; every other entry of
  ``settings.MIDDLEWARE`` runs, in the same order (request id, security headers, CSP, X-Frame-Options,
  language, and CommonMiddleware: the host checked against ALLOWED_HOSTS, Content-Length), so the
  answers carry the same headers (tests/portal/test_fastlane.py compares them);
- the path is matched against the fast-lane routes only (found in the URLconf by the mark, so urls.py
  stays the one place that names paths).

Everything else is Django's own WSGIHandler: request and response objects, request_started/finished
(persistent connections, their age and their error state) and exceptions turned into the error pages.
Other methods and every other path go to the main handler unchanged.

One thing is done differently for the database: Django's per-request health check (``CONN_HEALTH_CHECKS``:
a ``SELECT 1`` before the first query of every request) is a second round trip to PostgreSQL for views
that make one query, and was the largest wall-clock cost of the verification page (issue 42 item 1,
bench/profile_verify.py). Fast-lane views only read (and append to the buffered lookup log), so instead
of asking first, the lane tries the view and, if it fails on a connection that turns out to be dead (a
restarted or failed-over database, a connection killed by a proxy), closes that connection and runs the
view once more on a new one (:func:`retried_on_lost_connection`). A visitor sees the same answer a
health-checked request would give; a database that is really down still gives the error page.

A fast-lane view must not touch ``request.user``, ``request.session``, CSRF tokens or messages (it has
none of them: a mistake fails loudly in the tests, which request every URL), and renders pages without
the request context (no navigation with forms).
"""

import functools
import re

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.db import InterfaceError, OperationalError, connections
from django.urls import ResolverMatch, URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.utils.module_loading import import_string

FAST_METHODS = ("GET",)


def fast_lane(view):
    """Marks a public GET view to be served on the fast lane (see the module's docstring)."""
    view.fast_lane = True
    return view


class Route:
    """One fast-lane URL pattern with its full regular expression (the prefixes of the includes it
    sits under joined to its own) and the namespaces of those includes."""

    def __init__(self, regex: str, pattern: URLPattern, converters: dict, app_names, namespaces):
        self.regex = re.compile(regex)
        self.pattern = pattern
        self.callback = retried_on_lost_connection(pattern.callback)
        self.converters = converters
        self.app_names = app_names
        self.namespaces = namespaces

    def match(self, path: str) -> ResolverMatch | None:
        found = self.regex.match(path)
        if found is None:
            return None
        kwargs = {
            name: self.converters[name].to_python(value) if name in self.converters else value
            for name, value in found.groupdict().items()
        }
        kwargs.update(self.pattern.default_args)
        return ResolverMatch(
            self.callback,
            (),
            kwargs,
            self.pattern.name,
            app_names=self.app_names,
            namespaces=self.namespaces,
            route=str(self.pattern.pattern),
        )


def fast_routes() -> list[Route]:
    """The fast-lane patterns of the URLconf, found by the :func:`fast_lane` mark on their views."""
    root = get_resolver()
    return _walk(root, root.pattern.regex.pattern.removeprefix("^"), {}, [], [])


def _walk(resolver: URLResolver, prefix: str, converters: dict, app_names: list, namespaces: list):
    routes = []
    for entry in resolver.url_patterns:
        regex = prefix + entry.pattern.regex.pattern.removeprefix("^")
        own = {**converters, **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            routes += _walk(
                entry,
                regex,
                own,
                app_names + [entry.app_name] if entry.app_name else app_names,
                namespaces + [entry.namespace] if entry.namespace else namespaces,
            )
        elif getattr(entry.callback, "fast_lane", False):
            routes.append(Route("^" + regex, entry, own, app_names, namespaces))
    return routes


class FastLaneHandler(WSGIHandler):
    """Django's WSGI handler with the fast-lane middleware and routes (see the module's docstring)."""

    def __init__(self, routes: list[Route]):
        self.routes = routes
        super().__init__()

    def load_middleware(self, is_async=False):
        """BaseHandler.load_middleware for synchronous middleware, over the fast lane's list."""
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(middleware()):
            try:
                instance = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler

    def get_response(self, request):
        skip_health_checks()
        return super().get_response(request)

    def resolve_request(self, request):
        for route in self.routes:
            match = route.match(request.path_info)
            if match is not None:
                request.resolver_match = match
                return match
        raise Resolver404({"path": request.path_info})


def skip_health_checks() -> None:
    """Marks the open connections as checked for this request (see the module's docstring): the view
    runs without the ``SELECT 1`` round trip, and :func:`retried_on_lost_connection` covers a dead one.
    A connection with errors since its last use was already checked when the request started."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            connection.health_check_done = True


def drop_lost_connections() -> bool:
    """Closes every open connection that no longer answers (outside a transaction); True if one did."""
    lost = False
    for connection in connections.all(initialized_only=True):
        if (
            connection.connection is not None
            and not connection.in_atomic_block
            and not connection.is_usable()
        ):
            connection.close()
            lost = True
    return lost


def retried_on_lost_connection(view):
    """The view, run once more on a new connection when it failed because its connection was dead."""

    @functools.wraps(view)
    def retried(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError):
            if not drop_lost_connections():
                raise
        return view(request, *args, **kwargs)

    return retried


def middleware() -> list[str]:
    skipped = set(getattr(settings, "FAST_LANE_SKIPPED_MIDDLEWARE", ()))
    return [path for path in settings.MIDDLEWARE if path not in skipped]


class FastLane:
    """The WSGI application: fast-lane requests to :class:`FastLaneHandler`, the rest to ``main``."""

    def __init__(self, main):
        self.main = main
        self._fast = None

    def fast(self) -> FastLaneHandler | None:
        # Built on the first request: the URLconf is imported by then, as in Django's own handler.
        if self._fast is None:
            routes = fast_routes()
            self._fast = FastLaneHandler(routes) if routes else False
        return self._fast or None

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in FAST_METHODS:
            fast = self.fast()
            if fast is not None and any(r.regex.match(environ.get("PATH_INFO", "")) for r in fast.routes):
                return fast(environ, start_response)
        return self.main(environ, start_response)
