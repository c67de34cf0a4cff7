"""Request ids for structured logs, the Content-Security-Policy header and the page language."""

import contextvars
import functools
import logging
import re
import time
import uuid

from django.conf import settings
from django.http.response import ResponseHeaders
from django.utils import translation
from django.utils.cache import patch_vary_headers

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# No inline scripts anywhere: scripts come from /static/ only. Inline style attributes are allowed
# (Bootstrap components set them), scripts are not.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


request_log = logging.getLogger("portal.request")


def preset_header(name: str, value: str) -> tuple[str, str]:
    """A constant header (name, value), checked once per process as Django checks every header value (no
    line breaks, encodable): a bad constant fails at import, not on a visitor's request. Put in place with
    :func:`put_header`. (Writing Django's private header store directly saved ~1.5 us a header, issue 42
    item 1; not worth depending on ResponseHeaders' internals.)"""
    ResponseHeaders({})[name] = value
    return name, value


def put_header(response, preset: tuple[str, str], *, default: bool = False) -> None:
    """``response[name] = value`` (``response.headers.setdefault`` with ``default``) for a
    :func:`preset_header`."""
    name, value = preset
    if default:
        response.headers.setdefault(name, value)
    else:
        response.headers[name] = value


_CSP_HEADER = preset_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)


class RequestIdMiddleware:
    """Takes X-Request-ID from the proxy when it is sane, or makes one; echoes it in the response. Times
    the request for the metrics (portal.metrics) and writes its one log line (portal.request)."""

    def __init__(self, get_response):
        from .metrics import observe_request

        self.get_response = get_response
        self.observe = observe_request

    def __call__(self, request):
        started = time.perf_counter()
        # META, not request.headers: that mapping of every header is built on first use, a tenth of the
        # verification page's middleware time when only this one is read (issue 42 item 1).
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            seconds = time.perf_counter() - started
            self.observe(request, response, seconds)
            if request_log.isEnabledFor(logging.INFO):
                match = getattr(request, "resolver_match", None)
                # The user as the view found it (django.contrib.auth caches it there): a page that never
                # asked for its user costs no session read for its log line.
                user = request.__dict__.get("_cached_user")
                request_log.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "view": (match.view_name if match else "") or "unresolved",
                        "status": response.status_code,
                        "ms": round(seconds * 1000, 1),
                        "user": user.pk if user is not None and user.is_authenticated else None,
                    },
                )
        finally:
            request_id_var.reset(token)
        return response


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):  # the admin ships inline scripts of its own
            put_header(response, _CSP_HEADER, default=True)
        return response


class LanguageMiddleware:
    """The page language: Chinese (settings.LANGUAGE_CODE) unless the visitor chose English with the
    navbar switch (POST /i18n/setlang/, remembered in Django's language cookie). Unlike Django's
    LocaleMiddleware, the browser's Accept-Language is not read: the portal is a Chinese public
    service, and a browser set to English still shows it in Chinese first (README, Translations)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        # What get_language() returns right after activate(language) for a code of LANGUAGES (lower case,
        # hyphenated), without a second read of the thread's translation (issue 42 item 1: one of four
        # get_language() calls of the verification page, each through asgiref's Local).
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if "vary" in response.headers:
            patch_vary_headers(response, ("Cookie",))
        else:  # what patch_vary_headers sets on a response without Vary, checked once (issue 42 item 1)
            put_header(response, _VARY_COOKIE)
        put_header(response, _content_language(translation.get_language()), default=True)
        return response


_VARY_COOKIE = preset_header("Vary", "Cookie")


@functools.lru_cache(maxsize=16)
def _content_language(language: str | None):
    return preset_header("Content-Language", language)


def chosen_language(request) -> str:
    """The language of the cookie set by the language switch when it names one of LANGUAGES, else the
    default."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return settings.LANGUAGE_CODE


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True
