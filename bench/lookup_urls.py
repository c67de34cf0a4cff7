"""URLconf of the site bench/lookup.py serves: the portal's URLs plus the bench-only baseline view."""

from django.urls import include, path

from bench.lookup_site import baseline_view

urlpatterns = [path("bench/baseline", baseline_view), path("", include("portal.urls"))]
