from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, metrics, views
from .login import LimitedPasswordChangeView, PortalLoginView
from .password_reset import LimitedPasswordResetView
from .post_only import post_only

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("register/", views.register, name="register"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/centre/", views.centre_dashboard, name="centre_dashboard"),
    path("dashboard/centre/charts.json", views.centre_charts, name="centre_charts"),
    path("dashboard/bureau/", views.bureau_dashboard, name="bureau_dashboard"),
    path("dashboard/bureau/charts.json", views.bureau_charts, name="bureau_charts"),
    path("dashboard/institution/", views.institution_dashboard, name="institution_dashboard"),
    path("dashboard/expert/", views.expert_dashboard, name="expert_dashboard"),
    path("dashboard/institution/charts.json", views.institution_charts, name="institution_charts"),
    path("notifications/", views.notifications, name="notifications"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/status.json", views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/result/", views.job_result, name="job_result"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:year>/import/", views.calendar_import, name="calendar_import"),
    path("calendar/<int:year>/complete/", views.calendar_complete, name="calendar_complete"),
    path("accounts/login/", PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", post_only("home")(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/password/change/", LimitedPasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("filings.urls")),
    path("", include("certification.urls")),
    path("", include("eligibility.urls")),
    path("", include("appraisals.urls")),
    path("", include("certificates.urls")),
    path("", include("talent.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
