"""Public calendar feeds, mounted under the language prefix (makers_school.urls)."""

from django.urls import path

from . import feeds

app_name = "courses"

urlpatterns = [
    path("editions/<str:code>.ics", feeds.edition_feed, name="edition_feed"),
    path("sessions/<uuid:uuid>.ics", feeds.session_download, name="session_ics"),
]
