from django.urls import path

from . import views
from .credentials import views as credential_views

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
        "me/certificates/<id:pk>/openbadge.jwt",
        credential_views.openbadge_download_jwt,
        name="openbadge_jwt",
    ),
    path(
        "me/certificates/<id:pk>/openbadge.json",
        credential_views.openbadge_download_json,
        name="openbadge_json",
    ),
    path(
        "me/certificates/<id:pk>/europass/",
        views.certificate_europass,
        name="europass",
    ),
]
