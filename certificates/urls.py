from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_start, name="verify_start"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path(
        "me/certificates/<id:pk>/pdf/",
        views.certificate_download,
        name="download",
    ),
    path(
        "me/certificates/<id:pk>/europass/",
        views.certificate_europass,
        name="europass",
    ),
]
