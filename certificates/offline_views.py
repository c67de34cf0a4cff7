"""The offline verification page (issue 45): public, no login. The page, its scripts and the published keys
are kept by a service worker after one visit, so a phone with no signal reads a certificate's QR code and
checks its signed fields in the browser; the signed revocation list is fetched whenever the page is online
and kept. Thin views: the formats live in offline.py (certificates/README.md, "Offline verification")."""

from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.identifiers import DocumentKind

from . import constants, offline

# Not a regulatory number: how long one signed revocation list is served before it is signed again. A
# revocation reaches the offline pages at their next online visit at most this late (certificates/README.md).
REVOCATION_LIST_CACHE_SECONDS = 60
REVOCATION_LIST_CACHE_KEY = "certificates:offline:revocation-list"

# The Cache Storage name the page and its service worker share; a new name when what they keep changes.
OFFLINE_CACHE_NAME = "jndj-offline-v1"


def no_cache(response):
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def page(request):
    return render(
        request,
        "certificates/public/offline.html",
        {
            "offline_config": {
                "keys": offline.keys_document()["keys"],
                "levels": {str(level): str(name) for level, name in constants.LEVEL_NAMES.items()},
                "documents": {value: str(label) for value, label in DocumentKind.choices},
            },
            "cache_name": OFFLINE_CACHE_NAME,
            "breadcrumbs": [(_("证书查询"), reverse("certificates:lookup")), (_("离线核验"), None)],
        },
    )


@require_GET
def keys(request):
    return no_cache(JsonResponse(offline.keys_document()))


@require_GET
def revocation_list(request):
    document = cache.get(REVOCATION_LIST_CACHE_KEY)
    if document is None:
        document = offline.revocation_list()
        cache.set(REVOCATION_LIST_CACHE_KEY, document, REVOCATION_LIST_CACHE_SECONDS)
    return no_cache(JsonResponse(document))


@require_GET
def service_worker(request):
    """Served from the page's own folder, so that its scope is the page (a worker under /static/ could
    not control it)."""
    response = render(
        request,
        "certificates/public/offline_sw.js",
        {"cache_name": OFFLINE_CACHE_NAME},
        content_type="text/javascript; charset=utf-8",
    )
    return no_cache(response)
