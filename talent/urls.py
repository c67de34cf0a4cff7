from django.urls import path

from . import views

app_name = "talent"

urlpatterns = [
    path("titles/", views.mine, name="mine"),
    path("titles/new/", views.new, name="new"),
    path("titles/<int:pk>/", views.edit, name="edit"),
    path("titles/<int:pk>/view/", views.detail, name="detail"),
    path("titles/<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("titles/<int:pk>/application.pdf", views.application_pdf, name="application_pdf"),
    path("titles/queue/", views.queue, name="queue"),
]
