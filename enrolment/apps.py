from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self) -> None:
        # courses.reactions: the edition services call these inside their
        # transaction (DESIGN.md layers: courses never imports enrolment).
        from courses import reactions

        from .services import editions

        reactions.on_edition_cancelled(editions.edition_enrolments_cancel)
        reactions.on_edition_seats_changed(editions.edition_seats_fill)
