"""The trainee's attendance page, mounted at /me/ beside enrolment's pages (its
path is the one it had there)."""

from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path(
        "courses/<id:pk>/attendance/",
        views.enrolment_attendance,
        name="enrolment_attendance",
    ),
]
