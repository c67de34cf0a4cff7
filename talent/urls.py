from django.urls import path

from . import skill_views, views

app_name = "talent"

urlpatterns = [
    path("titles/", views.mine, name="mine"),
    path("titles/new/", views.new, name="new"),
    path("titles/<int:pk>/", views.edit, name="edit"),
    path("titles/<int:pk>/view/", views.detail, name="detail"),
    path("titles/<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("titles/<int:pk>/application.pdf", views.application_pdf, name="application_pdf"),
    path("titles/queue/", views.queue, name="queue"),
    # 附件2 三, 四(二): the professional's skill application
    path("titles/skills/", skill_views.mine, name="skill_mine"),
    path("titles/skills/new/", skill_views.new, name="skill_new"),
    path("titles/skills/<int:pk>/", skill_views.edit, name="skill_edit"),
    path("titles/skills/<int:pk>/view/", skill_views.detail, name="skill_detail"),
    path("titles/skills/<int:pk>/act/<slug:action>/", skill_views.act, name="skill_act"),
    path("titles/skills/<int:pk>/application.pdf", skill_views.application_pdf, name="skill_application_pdf"),
    path("titles/skills/<int:pk>/review.pdf", skill_views.review_pdf, name="skill_review_pdf"),
    path("titles/skills/queue/", skill_views.queue, name="skill_queue"),
]
