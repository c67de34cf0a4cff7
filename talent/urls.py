from django.urls import path

from . import views

app_name = "talent"

urlpatterns = [
    path("titles/new/", views.new, name="new"),
    path("titles/<int:pk>/", views.edit, name="edit"),
    path("titles/queue/", views.queue, name="queue"),
]
