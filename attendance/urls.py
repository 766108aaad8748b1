"""The trainee's attendance page, mounted at /me/ beside enrolment's pages (its
path is the one it had there), and the instructor's session details, sign-in
sheet and scans (issue 26)."""

from django.urls import path

from . import teaching_views, views

app_name = "attendance"

urlpatterns = [
    path(
        "courses/<id:pk>/attendance/",
        views.enrolment_attendance,
        name="enrolment_attendance",
    ),
    # Issue 26: a session's audit details and its paper sign-in sheet.
    path(
        "teaching/sessions/<id:pk>/details/",
        teaching_views.register_details,
        name="register_details",
    ),
    path(
        "teaching/sessions/<id:pk>/sign-in-sheet.pdf",
        teaching_views.sign_in_sheet,
        name="sign_in_sheet",
    ),
    path(
        "teaching/sessions/<id:pk>/scans/",
        teaching_views.scan_upload,
        name="scan_upload",
    ),
    path(
        "teaching/scans/<id:pk>/",
        teaching_views.scan_download,
        name="scan_download",
    ),
]
