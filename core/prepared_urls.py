"""The owner's prepared files on the site (core.prepared_views)."""

from django.urls import path

from . import prepared_views

app_name = "downloads"

urlpatterns = [
    path("<uuid:public_id>/", prepared_views.prepared_file, name="prepared_file"),
    path(
        "<uuid:public_id>/file/",
        prepared_views.prepared_file_download,
        name="prepared_file_download",
    ),
]
