import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self) -> None:
        # courses.reactions: the edition services call these inside their
        # transaction (DESIGN.md layers: courses never imports enrolment).
        from core.scheduler import periodic_register
        from courses import reactions
        from courses.catalogue import edition_action_register
        from people.models import Role
        from people.roles import grant

        from .personal_data import personal_data_register
        from .services import editions
        from .services.offers import offers_expire_task
        from .tasks import enrolment_changes_record

        personal_data_register()
        # Expired offers pass to the next on the waitlist; the recording run is
        # the safety net of the runs that changes queue themselves.
        periodic_register(
            name="enrolment.offers_expire",
            task=offers_expire_task,
            every=datetime.timedelta(minutes=5),
        )
        periodic_register(
            name="enrolment.changes_record",
            task=enrolment_changes_record,
            every=datetime.timedelta(minutes=1),
        )

        reactions.on_edition_cancelled(editions.edition_enrolments_cancel)
        reactions.on_edition_seats_changed(editions.edition_seats_fill)
        # Staff run enrolments.
        grant(Role.STAFF, self.label, ["enrolment"])
        # Enrol, or join the waitlist, from each edition's block on a course page.
        edition_action_register(template="enrolment/includes/edition_enrol.html")
