"""URLconf of the site bench/lookup.py serves: the portal's URLs plus the bench-only baseline view.

The baseline comes last, where a domain app's URL sits, so it pays the same URL resolution as the
verification page and the API (every app is included at the site root and is tried in turn)."""

from django.urls import include, path

from bench.lookup_site import baseline_view

urlpatterns = [path("", include("portal.urls")), path("bench/baseline", baseline_view)]
