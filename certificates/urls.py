from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("certificates/batches/", views.batch_list, name="batch_list"),
    path("certificates/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("certificates/batches/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("certificates/batches/<int:pk>/resume/", views.batch_resume, name="batch_resume"),
    path("certificates/batches/<int:pk>/pdf/", views.batch_pdf, name="batch_pdf"),
    path("certificates/<str:code>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/verify/<str:code>/", views.verify, name="verify"),
]
