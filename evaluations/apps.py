import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Course evaluation: questionnaires, the requests sent to the trainees of
    completed editions (and their reminders), anonymous responses and their
    results. Above funding, below certificates (which ask whether a trainee has
    answered)."""

    name = "evaluations"
    label = "evaluations"
    verbose_name = _("Course evaluation")

    def ready(self) -> None:
        from core.scheduler import periodic_register
        from people.models import Role
        from people.roles import grant

        from .personal_data import personal_data_register
        from .tasks import evaluations_send_task

        personal_data_register()

        # Requests for editions just completed, and the reminders at 3 and 7 days.
        periodic_register(
            name="evaluations.send",
            task=evaluations_send_task,
            every=datetime.timedelta(hours=1),
        )
        # Staff build questionnaires, mark the editions that require one before
        # their certificates and read the results (through the questionnaire's
        # view permission).
        grant(Role.STAFF, self.label, ["questionnaire", "evaluationrequirement"])
