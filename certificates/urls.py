from django.urls import path, register_converter

from portal.post_only import post_only

from . import api, appraisal_views, offline_views, public_views, staff_views, views

app_name = "certificates"


class VerifiedCode:
    """The code in a verification link: any path segment but ``offline``, which is the offline page's folder
    (issue 45). Without it the fast lane (portal/fastlane.py), which matches its own routes before the rest
    of the URLconf, would take /certificates/verify/offline/ for a certificate code."""

    regex = r"(?!offline/)[^/]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(VerifiedCode, "verified_code")

urlpatterns = [
    # 签发证书 of an assessment plan: the page lives under the plan's address, the issuing here.
    path("certification/plans/<int:pk>/issue/", views.plan_issue, name="plan_issue"),
    path("certificates/batches/", views.batch_list, name="batch_list"),
    path("certificates/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("certificates/batches/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("certificates/batches/<int:pk>/resume/", views.batch_resume, name="batch_resume"),
    path("certificates/batches/<int:pk>/pdf/", views.batch_pdf, name="batch_pdf"),
    path("certificates/<str:code>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    # seed 002 附件1 四(六): the bureau issues a reported 鉴定's 职业资格证书; the list of one 鉴定's certificates
    path("certificates/appraisals/<int:pk>/issue/", appraisal_views.appraisal_issue, name="appraisal_issue"),
    path(
        "certificates/appraisals/<int:pk>/",
        appraisal_views.appraisal_certificates,
        name="appraisal_certificates",
    ),
    # issue 45: the offline verification page, its service worker, the published keys and the signed
    # revocation list; before verify/<code>/, which would take "offline" for a code
    path("certificates/verify/offline/", offline_views.page, name="offline_verify"),
    path("certificates/verify/offline/sw.js", offline_views.service_worker, name="offline_sw"),
    path("certificates/verify/offline/keys.json", offline_views.keys, name="offline_keys"),
    path("certificates/verify/offline/revoked.json", offline_views.revocation_list, name="offline_revoked"),
    # issue 8 replaced the placeholder verification page with the signed check (public_views.verify)
    path("certificates/verify/<verified_code:code>/", public_views.verify, name="verify"),
]

# --- Issue 8: public lookup, verification, About, API and staff pages (lookup, revocation, export) ---
# Kept under certificates/lookup/, certificates/verify/, certificates/about/ and api/: no route here
# has the shape certificates/<code>/pdf/ of the issuance pages above.
urlpatterns += [
    path("certificates/lookup/", public_views.lookup_view, name="lookup"),
    # A stray GET of the download (a reload) goes back to the lookup form (issue 29 item 5).
    path(
        "certificates/lookup/download/",
        post_only("certificates:lookup")(public_views.download),
        name="lookup_download",
    ),
    path("certificates/about/", public_views.about, name="about"),
    path("certificates/lookup/staff/", staff_views.certificate_list, name="staff_certificates"),
    path("certificates/seal-preview/<int:pk>.pdf", staff_views.seal_preview, name="seal_preview"),
    path("certification/statistics/", staff_views.statistics_view, name="statistics"),
    path("certificates/lookup/staff/stats/", staff_views.lookup_stats_view, name="staff_lookup_stats"),
    path("certificates/lookup/staff/export/", staff_views.export_view, name="staff_export"),
    path("certificates/lookup/staff/export/job/", staff_views.export_job_view, name="staff_export_job"),
    path("certificates/lookup/staff/c/<str:code>/", staff_views.certificate_detail, name="staff_certificate"),
    path("certificates/lookup/staff/c/<str:code>/revoke/", staff_views.revoke, name="staff_revoke"),
    path(
        "certificates/lookup/staff/c/<str:code>/link/", staff_views.link_document, name="staff_link_document"
    ),
    path(
        "certificates/lookup/staff/c/<str:code>/link/<int:pk>/undo/",
        staff_views.unlink_document,
        name="staff_unlink_document",
    ),
    path("api/v1/certificates/verify", api.verify_certificate, name="api_verify"),
    path("api/v1/certificates/by-document", api.certificates_by_document, name="api_by_document"),
    path("api/openapi.json", api.openapi_json, name="openapi_json"),
    path("api/docs", api.docs, name="api_docs"),
]
