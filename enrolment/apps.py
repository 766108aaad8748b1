from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self) -> None:
        # courses.reactions: the edition services call these inside their
        # transaction (DESIGN.md layers: courses never imports enrolment).
        from courses import reactions
        from courses.catalogue import edition_action_register
        from people.models import Role
        from people.roles import grant

        from .personal_data import personal_data_register
        from .services import editions

        personal_data_register()

        reactions.on_edition_cancelled(editions.edition_enrolments_cancel)
        reactions.on_edition_seats_changed(editions.edition_seats_fill)
        # Staff run enrolments.
        grant(Role.STAFF, self.label, ["enrolment"])
        # Enrol, or join the waitlist, from each edition's block on a course page.
        edition_action_register(template="enrolment/includes/edition_enrol.html")
