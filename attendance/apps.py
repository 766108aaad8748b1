from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    """Registers, marks, self check-in and assessments: above enrolment (it reads
    enrolments), below the apps that read its figures."""

    name = "attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        from people.models import Role
        from people.roles import grant

        from .personal_data import personal_data_register

        personal_data_register()
        # Staff keep registers and record assessments.
        grant(Role.STAFF, self.label, ["attendancerecord", "assessment"])
