"""Bench-only URLconf of bench/load.py: the portal's URLs plus two baselines measured on the same server
in the same run. Selected only by the bench settings (bench/load_site.py sets ROOT_URLCONF to this
module); portal/urls.py never includes it, so these views do not exist in production.

- ``/bench/constant``: a plain Django view answering constant JSON (full middleware, no database).
- ``/bench/minimal?code=...``: the minimal lookup, one indexed SELECT by code through the ORM, JSON out.
  The public lookup is measured against it (the issue's floor: >= 80 %).
"""

from django.http import JsonResponse
from django.urls import include, path

from certificates.models import Certificate


def constant(request):
    return JsonResponse({"ok": True})


def minimal_lookup(request):
    row = (
        Certificate.objects.filter(code=request.GET.get("code", ""))
        .values("code", "holder_name", "occupation_name", "level", "institution_name", "issue_date", "status")
        .first()
    )
    if row is None:
        return JsonResponse({"detail": "not_found"}, status=404)
    return JsonResponse(row)


urlpatterns = [
    path("bench/constant", constant),
    path("bench/minimal", minimal_lookup),
    path("", include("portal.urls")),
]
handler403 = "portal.views.error_403"
