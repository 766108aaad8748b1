from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self) -> None:
        from courses.signals import edition_cancelled, edition_seats_changed

        from .services import editions

        edition_cancelled.connect(
            editions._on_edition_cancelled, dispatch_uid="enrolment-edition-cancelled"
        )
        edition_seats_changed.connect(
            editions._on_edition_seats_changed, dispatch_uid="enrolment-seats-changed"
        )
