from django.urls import path

from . import check_in, company_reports, fragments, teaching, views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("company/", views.company, name="company"),
    path(
        "company/reports/",
        company_reports.company_reports,
        name="company_reports",
    ),
    path("certificates/", views.certificates, name="certificates"),
    path("calendar/", views.calendar, name="calendar"),
    # The signed-in person's part of a shared (page-cached) page: portal.fragments.
    path("fragments/", fragments.fragments, name="fragments"),
]

# Mounted at /me/ beside the enrolment pages (enrolment.urls), which keep their names.

# Attendance (issue 7): the instructor's registers and the trainee's check-in.
urlpatterns += [
    path("teaching/", teaching.my_teaching, name="teaching"),
    path("teaching/sessions/<id:pk>/", teaching.register, name="register"),
    path(
        "teaching/sessions/<id:pk>/mark/", teaching.register_mark, name="register_mark"
    ),
    path(
        "teaching/sessions/<id:pk>/all-present/",
        teaching.register_all_present,
        name="register_all_present",
    ),
    path(
        "teaching/sessions/<id:pk>/close/",
        teaching.register_close,
        name="register_close",
    ),
    path(
        "teaching/sessions/<id:pk>/confirm/",
        teaching.register_confirm,
        name="register_confirm",
    ),
    path("teaching/sessions/<id:pk>/qr/", teaching.register_qr, name="register_qr"),
    path(
        "teaching/sessions/<id:pk>/qr/code/",
        teaching.register_qr_code,
        name="register_qr_code",
    ),
    path(
        "teaching/editions/<id:pk>/",
        teaching.edition_overview,
        name="teaching_edition",
    ),
    path(
        "teaching/editions/<id:pk>/assessments/",
        teaching.edition_assessments,
        name="edition_assessments",
    ),
    path(
        "teaching/editions/<id:pk>/register.<str:fmt>",
        teaching.edition_register_export,
        name="edition_register_export",
    ),
    path("check-in/<id:session_pk>/<str:token>/", check_in.check_in, name="check_in"),
]

# Graduate profiles, companies and personal data (issue 10).
from . import companies, profile  # noqa: E402

urlpatterns += [
    path("profile/", profile.profile, name="profile"),
    path("profile/files/<str:field>/", profile.profile_file, name="profile_file"),
    path("profile/requests/", profile.contact_requests, name="contact_requests"),
    path(
        "profile/requests/<uuid:public_id>/",
        profile.contact_request,
        name="contact_request",
    ),
    path(
        "profile/blocks/<id:pk>/unblock/",
        profile.company_unblock,
        name="company_unblock",
    ),
    path("data/", profile.my_data, name="my_data"),
    path("data/delete/", profile.account_delete, name="account_delete"),
    path("company/register/", companies.company_register, name="company_register"),
    path("company/members/", companies.company_members, name="company_members"),
    path("company/join/<str:token>/", companies.company_join, name="company_join"),
]

# Reminders and notices (issue 23): which optional notices the person receives.
from . import notices  # noqa: E402

urlpatterns += [path("notices/", notices.notices, name="notices")]
