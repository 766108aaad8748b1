from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    """Registers, marks, self check-in and assessments: above enrolment (it reads
    enrolments), below the apps that read its figures."""

    name = "attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        from core.exports import register_export
        from people.models import Role
        from people.roles import grant

        from .admin_exports import (
            FUNDER_EXPORT_KIND,
            funder_export_audit,
            funder_export_file,
        )
        from .personal_data import personal_data_register

        personal_data_register()
        # The funder export ZIP, prepared on the reports queue; its page is in
        # the admin, beside the register it comes from; the staff member gets
        # an email when it is ready, as a trainee for their data.
        register_export(
            FUNDER_EXPORT_KIND,
            funder_export_file,
            title=_("Funder export (ZIP)"),
            audit=funder_export_audit,
            admin=True,
            notify=True,
        )
        # Staff keep registers and record assessments.
        grant(Role.STAFF, self.label, ["attendancerecord", "assessment"])
