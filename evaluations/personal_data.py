"""What course evaluation holds about a person, in their data export
(people.personal_data): the questionnaires they were asked to answer, which
edition, when it was sent, the reminders, whether and when they answered.

Never the answers: a Response is anonymous, with no link to the request, the
enrolment or the person (evaluations.models), so nothing can tell which
answers are the person's, and the export does not try. Requests stay, with
the anonymised account, as the record of who was asked; no erasure step.
"""

from people.models import User
from people.personal_data import export_rows, export_section_register

from .models import EvaluationRequest


def evaluation_requests_section(*, user: User) -> list[dict]:
    return export_rows(
        EvaluationRequest.objects.filter(enrolment__trainee=user).order_by("pk"),
        [
            "enrolment__edition__code",
            "enrolment__edition__course__title",
            "questionnaire__title",
            "sent_at",
            "reminders_sent",
            "answered_on",
        ],
    )


def personal_data_register() -> None:
    """From EvaluationsConfig.ready()."""
    export_section_register(
        key="evaluation_requests", position=150, build=evaluation_requests_section
    )
