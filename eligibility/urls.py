from django.urls import path

from . import views

app_name = "eligibility"

urlpatterns = [
    path("eligibility/check/", views.self_check, name="check"),
    path("eligibility/roster/", views.roster, name="roster"),
    path("eligibility/roster/template.xlsx", views.roster_template, name="roster_template"),
    path("eligibility/roster/result/<str:token>.xlsx", views.roster_download, name="roster_download"),
]
