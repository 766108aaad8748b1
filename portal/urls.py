from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("company/", views.company, name="company"),
    path("certificates/", views.certificates, name="certificates"),
    path("calendar/", views.calendar, name="calendar"),
]

# Mounted at /me/ beside the enrolment pages (enrolment.urls), which keep their names.
