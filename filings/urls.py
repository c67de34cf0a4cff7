from django.urls import path

from . import views

app_name = "filings"

urlpatterns = [
    path("filings/", views.my_filings, name="mine"),
    path("filings/new/", views.new_filing, name="new"),
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
    path("filings/<int:pk>/expert/", views.expert_review, name="expert_review"),
    path("filings/expert/", views.expert_home, name="expert_home"),
    path("filings/queue/", views.queue, name="queue_home"),
    path("filings/queue/<slug:state>/", views.queue, name="queue"),
    path("filings/batches/", views.batches, name="batches"),
    path("filings/batches/<int:pk>/", views.batch_detail, name="batch"),
    path("filings/publicity/", views.publicity, name="publicity"),
    path("filings/publicity/<int:pk>/objection/", views.objection, name="objection"),
    path("filings/objections/<int:pk>/resolve/", views.resolve_objection, name="resolve_objection"),
    path("filings/objections/<int:pk>/attachment/", views.objection_attachment, name="objection_attachment"),
]
