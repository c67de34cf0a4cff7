from django.urls import path

from .views import application as views
from .views import rounds as round_views
from .views import seals as seal_views

app_name = "filings"

urlpatterns = [
    path("filings/", views.my_filings, name="mine"),
    path("filings/new/", views.new_filing, name="new"),
    path("filings/rounds/", round_views.round_list, name="rounds"),
    path("filings/rounds/new/", round_views.round_new, name="round_new"),
    path("filings/<int:pk>/", views.filing_detail, name="detail"),
    path("filings/<int:pk>/edit/", views.edit_filing, name="edit"),
    path("filings/<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("filings/<int:pk>/attachments/<int:attachment_pk>/", views.download_attachment, name="attachment"),
    path(
        "filings/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.delete_attachment,
        name="delete_attachment",
    ),
    path("filings/<int:pk>/application.pdf", views.application_pdf, name="application_pdf"),
    path("filings/<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("filings/<int:pk>/work-plan.pdf", views.work_plan_pdf, name="work_plan_pdf"),
    path("filings/schools/record-table/", views.school_record_table, name="school_record_table"),
    path("filings/seal/", seal_views.my_seal, name="my_seal"),
    path("filings/seals/queue/", seal_views.seal_queue, name="seal_queue"),
    path("filings/seals/<int:pk>/image.png", seal_views.seal_image, name="seal_image"),
    path("filings/seals/<int:pk>/<slug:action>/", seal_views.seal_act, name="seal_act"),
    path("filings/<int:pk>/expert/", views.expert_review, name="expert_review"),
    path("filings/expert/", views.expert_home, name="expert_home"),
    path("filings/queue/", views.queue, name="queue_home"),
    path("filings/queue/<slug:state>/", views.queue, name="queue"),
    path("filings/queue-bulk/", views.queue_bulk, name="queue_bulk"),
    path("filings/batches/", views.batches, name="batches"),
    path("filings/batches/<int:pk>/", views.batch_detail, name="batch"),
    path("filings/publicity/", views.publicity, name="publicity"),
    path("filings/publicity/<int:pk>/objection/", views.objection, name="objection"),
    path("filings/objections/<int:pk>/resolve/", views.resolve_objection, name="resolve_objection"),
    path("filings/objections/<int:pk>/attachment/", views.objection_attachment, name="objection_attachment"),
]

# -- Filings II (issue 5): life after filing; public pages under /filings/directory/ and
# /filings/complaints/new/, applicant and staff pages under /filings/after/.
from .views import after_filing as after  # noqa: E402

urlpatterns += [
    path("filings/directory/", after.directory_list, name="directory"),
    path("filings/directory/export.xlsx", after.directory_xlsx, name="directory_xlsx"),
    path("filings/directory/<int:pk>/", after.directory_detail, name="directory_detail"),
    path("filings/complaints/new/", after.complaint_new, name="complaint_new"),
    path("filings/after/mine/", after.after_mine, name="after_mine"),
    path("filings/after/filing/<int:pk>/", after.after_filing, name="after_filing"),
    path("filings/after/filing/<int:pk>/change/", after.request_change, name="request_change"),
    path("filings/after/filing/<int:pk>/renew/", after.request_renewal, name="request_renewal"),
    path("filings/after/filing/<int:pk>/terminate/", after.request_termination, name="request_termination"),
    path("filings/after/filing/<int:pk>/sanction/", after.impose_sanction, name="impose_sanction"),
    path("filings/after/filing/<int:pk>/revoke/", after.revoke, name="revoke"),
    path(
        "filings/after/sanctions/<int:pk>/rectified/",
        after.complete_rectification,
        name="complete_rectification",
    ),
    path(
        "filings/after/terminations/<int:pk>/confirm/", after.confirm_termination, name="confirm_termination"
    ),
    path("filings/after/", after.change_queue, name="after_changes"),
    path("filings/after/institutions/", after.institution_list, name="after_institutions"),
    path("filings/after/changes/<int:pk>/", after.change_detail, name="change_detail"),
    path("filings/after/changes/<int:pk>/review/", after.change_review, name="change_review"),
    path("filings/after/changes/<int:pk>/<slug:action>/", after.change_act, name="change_act"),
    path("filings/after/expert/", after.expert_changes, name="expert_changes"),
    path("filings/after/renewals/", after.renewal_queue, name="renewal_queue"),
    path("filings/after/renewals/<int:pk>/", after.renewal_detail, name="renewal_detail"),
    path("filings/after/terminations/", after.termination_queue, name="termination_queue"),
    path("filings/after/sanctions/", after.sanction_list, name="sanctions"),
    path("filings/after/blacklist/", after.blacklist_list, name="blacklist"),
    path("filings/after/blacklist/<int:pk>/", after.blacklist_detail, name="blacklist_detail"),
    path("filings/after/blacklist/<int:pk>/lift/", after.blacklist_lift, name="blacklist_lift"),
    path("filings/after/complaints/", after.complaint_queue, name="complaint_queue"),
    path("filings/after/complaints/<int:pk>/", after.complaint_detail, name="complaint_detail"),
    path(
        "filings/after/complaints/<int:pk>/attachment/",
        after.complaint_attachment,
        name="complaint_attachment",
    ),
    path("filings/after/supervision/", after.supervision_home, name="supervision"),
    path("filings/after/draws/<int:pk>/", after.draw_detail, name="draw_detail"),
    path("filings/after/inspections/<int:pk>/publish/", after.inspection_publish, name="inspection_publish"),
    path("filings/after/referrals/", after.referral_list, name="referrals"),
    path("filings/after/referrals/<int:pk>/", after.referral_detail, name="referral_detail"),
    path("filings/after/referrals/<int:pk>/conclude/", after.referral_conclude, name="referral_conclude"),
    path("filings/directory/supervision/", after.public_inspections, name="public_inspections"),
]
