from django.urls import path

from . import views

app_name = "appraisals"

urlpatterns = [
    path("appraisals/", views.mine, name="mine"),
    path("appraisals/new/", views.new, name="new"),
    path("appraisals/queue/", views.queue, name="queue"),
    path("appraisals/<int:pk>/", views.edit, name="edit"),
    path("appraisals/<int:pk>/roster/", views.roster, name="roster"),
    path("appraisals/<int:pk>/view/", views.detail, name="detail"),
    path("appraisals/<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("appraisals/<int:pk>/application.pdf", views.application_pdf, name="application_pdf"),
    path("appraisals/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path(
        "appraisals/<int:pk>/candidates/<int:candidate>/review-form.pdf",
        views.review_form_pdf,
        name="review_form_pdf",
    ),
    path("appraisals/<int:pk>/scores/", views.scores, name="scores"),
    path("appraisals/<int:pk>/scores/<int:candidate>/", views.score, name="score"),
    path("appraisals/<int:pk>/scores/sheet/", views.score_sheet, name="score_sheet"),
    path("appraisals/<int:pk>/reviews/", views.reviews, name="reviews"),
    path("appraisals/<int:pk>/reviews/<int:candidate>/draw/", views.draw_review, name="draw_review"),
    path("appraisals/<int:pk>/reviews/result/<int:review>/", views.record_review, name="record_review"),
    path("appraisals/publicity/", views.publicity_list, name="publicity_list"),
    path("appraisals/publicity/<int:pk>/", views.publicity, name="publicity"),
    path("appraisals/publicity/<int:pk>/objection/", views.objection, name="objection"),
    path("appraisals/objections/<int:pk>/resolve/", views.resolve_objection, name="resolve_objection"),
]
