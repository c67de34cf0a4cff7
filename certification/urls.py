from django.urls import path

from . import (
    attendance_views,
    monthly_views,
    review_views,
    session_check_views,
    session_views,
    ticket_views,
    views,
)

app_name = "certification"

urlpatterns = [
    path("certification/plans/", views.plan_list, name="plans"),
    path("certification/plans/new/", views.plan_new, name="plan_new"),
    path("certification/plans/<int:pk>/", views.plan_detail, name="plan"),
    path("certification/plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("certification/plans/<int:pk>/roster/", views.roster_upload, name="roster_upload"),
    path("certification/roster-template.xlsx", views.roster_template, name="roster_template"),
    path("certification/plans/<int:pk>/staff/", views.staff_add, name="staff_add"),
    path(
        "certification/plans/<int:pk>/staff/<int:staff_pk>/remove/", views.staff_remove, name="staff_remove"
    ),
    path("certification/plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("certification/plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("certification/plans/<int:pk>/return/", views.plan_return, name="plan_return"),
    path("certification/plans/<int:pk>/scores/", views.scores_upload, name="scores_upload"),
    path("certification/plans/<int:pk>/scores.xlsx", views.scores_template, name="scores_template"),
    path("certification/plans/<int:pk>/report/", views.plan_report, name="plan_report"),
    path("certification/plans/<int:pk>/verify/", views.plan_verify, name="plan_verify"),
    path("certification/plans/<int:pk>/uploaded/", views.plan_uploaded, name="plan_uploaded"),
    path("certification/plans/<int:pk>/reviews.xlsx", views.review_sheet, name="review_sheet"),
    path("certification/plans/<int:pk>/files/<str:which>/", views.plan_file, name="plan_file"),
    path(
        "certification/plans/<int:pk>/candidates/<int:candidate_pk>/",
        views.candidate_detail,
        name="candidate",
    ),
    path(
        "certification/plans/<int:pk>/candidates/<int:candidate_pk>/override/",
        views.candidate_override,
        name="candidate_override",
    ),
    path(
        "certification/plans/<int:pk>/candidates/<int:candidate_pk>/review/",
        views.review_draw,
        name="review_draw",
    ),
    path(
        "certification/plans/<int:pk>/candidates/<int:candidate_pk>/review/<int:review_pk>/",
        views.review_record,
        name="review_record",
    ),
    path(
        "certification/plans/<int:pk>/candidates/<int:candidate_pk>/photo/",
        views.candidate_photo,
        name="candidate_photo",
    ),
    path("certification/plans/<int:pk>/photos/", views.photos_zip, name="photos_zip"),
    path(
        "certification/plans/<int:pk>/candidates/<int:candidate_pk>/photo.img",
        views.candidate_photo_file,
        name="candidate_photo_file",
    ),
    path(
        "certification/plans/<int:pk>/candidates/<int:candidate_pk>/materials/",
        review_views.review_materials,
        name="review_materials",
    ),
    # issue 44: the exam day (考场安排), certification/session_views.py
    path("certification/plans/<int:pk>/sessions/", session_views.session_list, name="sessions"),
    path("certification/plans/<int:pk>/sessions/new/", session_views.session_new, name="session_new"),
    path(
        "certification/plans/<int:pk>/sessions/allocate/",
        session_views.session_allocate,
        name="session_allocate",
    ),
    path(
        "certification/plans/<int:pk>/sessions/<int:session_pk>/",
        session_views.session_detail,
        name="session",
    ),
    path(
        "certification/plans/<int:pk>/sessions/<int:session_pk>/edit/",
        session_views.session_edit,
        name="session_edit",
    ),
    path(
        "certification/plans/<int:pk>/sessions/<int:session_pk>/delete/",
        session_views.session_delete_confirm,
        name="session_delete_confirm",
    ),
    path(
        "certification/plans/<int:pk>/sessions/<int:session_pk>/delete/confirmed/",
        session_views.session_delete,
        name="session_delete",
    ),
    path(
        "certification/plans/<int:pk>/sessions/<int:session_pk>/seats/<int:seat_pk>/move/",
        session_views.seat_move,
        name="seat_move",
    ),
    # issue 44 item 2: 准考证, the plan's batch and the candidate's own from the public site
    path(
        "certification/plans/<int:pk>/sessions/tickets.pdf", session_views.ticket_batch, name="ticket_batch"
    ),
    path("certification/tickets/", ticket_views.ticket_lookup, name="ticket_lookup"),
    path("certification/review-queue/", review_views.review_queue, name="review_queue"),
    path(
        "certification/plans/<int:pk>/candidates/<int:candidate_pk>/review/<int:review_pk>/<slug:kind>.pdf",
        review_views.review_paper,
        name="review_paper",
    ),
    path("certification/plans/<int:pk>/review-list.pdf", review_views.review_list, name="review_list"),
    path("certification/reviews/", views.expert_reviews, name="expert_reviews"),
    path("certification/reviews/<int:panelist_pk>/tick/", views.expert_tick, name="expert_tick"),
    path("certification/summary/", views.results_summary, name="summary"),
    path("certification/monthly/", monthly_views.monthly_list, name="monthly"),
    path("certification/monthly/city/", monthly_views.monthly_city, name="monthly_city"),
    path("certification/monthly/<int:year>/<int:month>/", monthly_views.monthly_month, name="monthly_month"),
    # issue 44 item 4: the centre's calendar of sessions, the day's on-site checks, a session's findings
    path("certification/exam-days/", session_check_views.session_calendar, name="session_calendar"),
    path(
        "certification/exam-days/draw/", session_check_views.session_checks_draw, name="session_checks_draw"
    ),
    path(
        "certification/exam-days/sessions/<int:session_pk>/",
        session_check_views.session_check,
        name="session_check",
    ),
    # issue 44 item 3: sign-in on exam day and the sign-in sheet
    path(
        "certification/plans/<int:pk>/sessions/<int:session_pk>/sign-in/",
        attendance_views.sign_in,
        name="session_sign_in",
    ),
    path(
        "certification/plans/<int:pk>/sessions/<int:session_pk>/sign-in/mark/",
        attendance_views.sign_in_mark,
        name="session_sign_in_mark",
    ),
    path(
        "certification/plans/<int:pk>/sessions/<int:session_pk>/sign-in/sheet.pdf",
        attendance_views.sign_in_sheet,
        name="session_sign_in_sheet",
    ),
]
