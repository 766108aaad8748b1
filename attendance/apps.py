from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    """Registers, marks, self check-in and assessments: above enrolment (it reads
    enrolments), below the apps that read its figures."""

    name = "attendance"
    label = "attendance"
    verbose_name = _("Attendance")
