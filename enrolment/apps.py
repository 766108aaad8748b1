from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self) -> None:
        from courses.catalogue import edition_action_register
        from courses.signals import edition_cancelled, edition_seats_changed
        from people.models import Role
        from people.roles import grant

        from .personal_data import personal_data_register
        from .services import editions

        personal_data_register()

        edition_cancelled.connect(
            editions._on_edition_cancelled, dispatch_uid="enrolment-edition-cancelled"
        )
        edition_seats_changed.connect(
            editions._on_edition_seats_changed, dispatch_uid="enrolment-seats-changed"
        )
        # Staff run enrolments, registers and assessments.
        grant(Role.STAFF, self.label, ["enrolment", "attendancerecord", "assessment"])
        # Enrol, or join the waitlist, from each edition's block on a course page.
        edition_action_register(template="enrolment/includes/edition_enrol.html")
