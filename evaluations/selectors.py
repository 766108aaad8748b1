"""Reads of course evaluation: which questionnaire an edition uses, the
trainee's pending requests, who has answered (never what), whether a
certificate waits for the questionnaire, and the anonymous results.

Every function runs a fixed number of queries, whatever the number of
trainees, responses or editions.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from courses.models import CourseEdition, CoursePage, EditionStatus
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import User

from .models import EvaluationRequest, EvaluationRequirement, Questionnaire

# Editions completed longer ago than this are not evaluated any more (a new
# deployment does not write to the trainees of years past).
SEND_WINDOW = timedelta(days=30)
# Reminders to those who have not answered, this long after the request.
REMINDER_AFTER = (timedelta(days=3), timedelta(days=7))


def questionnaire_for(*, course_id: int) -> Questionnaire | None:
    """The course's own questionnaire, else the school's default. One query."""
    return (
        Questionnaire.objects.filter(Q(course_id=course_id) | Q(is_default=True))
        .order_by("is_default")
        .first()
    )


def editions_to_evaluate(*, now: datetime) -> QuerySet[CourseEdition]:
    """Completed editions whose last session ended within SEND_WINDOW."""
    return (
        CourseEdition.objects.filter(status=EditionStatus.COMPLETED)
        .annotate(last_end=Max("sessions__end", filter=Q(sessions__cancelled=False)))
        .filter(last_end__gte=now - SEND_WINDOW)
        .order_by("pk")
    )


def enrolments_without_request(*, edition: CourseEdition) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        edition=edition,
        status=EnrolmentStatus.CONFIRMED,
        evaluation_request__isnull=True,
    ).order_by("pk")


def reminders_due(*, now: datetime) -> list[tuple[int, int]]:
    """(request id, reminder number 1 or 2) of each unanswered request whose
    next reminder is due. One query."""
    due = []
    for number, after in enumerate(REMINDER_AFTER, start=1):
        ids = EvaluationRequest.objects.filter(
            answered_on__isnull=True,
            sent_at__isnull=False,
            sent_at__lte=now - after,
            reminders_sent=number - 1,
            enrolment__status=EnrolmentStatus.CONFIRMED,
        ).values_list("pk", flat=True)
        due += [(pk, number) for pk in ids]
    return due


def _requests() -> QuerySet[EvaluationRequest]:
    return EvaluationRequest.objects.select_related(
        "enrolment__edition__course", "enrolment__trainee", "questionnaire"
    )


def requests_pending(*, user: User) -> list[EvaluationRequest]:
    """The person's questionnaires still to answer, newest edition first; each
    with holds_certificate, whether its edition's certificates wait for it.
    One query."""
    required = EvaluationRequirement.objects.filter(
        edition_id=OuterRef("enrolment__edition_id")
    )
    return list(
        _requests()
        .filter(
            enrolment__trainee=user,
            answered_on__isnull=True,
            enrolment__status=EnrolmentStatus.CONFIRMED,
        )
        .annotate(holds_certificate=Exists(required))
        .order_by("-pk")
    )


def requests_holding_certificates(*, user: User) -> list[EvaluationRequest]:
    """The person's unanswered requests of editions whose certificates wait
    for the questionnaire."""
    return list(
        _requests().filter(
            enrolment__trainee=user,
            answered_on__isnull=True,
            enrolment__edition__evaluation_requirement__isnull=False,
        )
    )


def request_of_owner(*, user: User, token: str) -> EvaluationRequest | None:
    """The request of `token` if it is the person's own, else None."""
    return (
        _requests()
        .prefetch_related("questionnaire__questions")
        .filter(token=token, enrolment__trainee=user)
        .first()
    )


def edition_requires_questionnaire(*, edition: CourseEdition) -> bool:
    return EvaluationRequirement.objects.filter(edition=edition).exists()


def questionnaire_missing(*, enrolment: Enrolment) -> bool:
    """Whether the enrolment's certificate waits for its questionnaire: the
    edition requires it and the trainee has not answered. One query."""
    answered = EvaluationRequest.objects.filter(
        enrolment_id=enrolment.pk, answered_on__isnull=False
    )
    return (
        EvaluationRequirement.objects.filter(edition_id=enrolment.edition_id)
        .filter(~Exists(answered))
        .exists()
    )


def questionnaires_missing(*, edition: CourseEdition) -> set[int]:
    """The enrolment ids of the edition whose certificate waits for the
    questionnaire (none if the edition does not require it). One query."""
    required = EvaluationRequirement.objects.filter(edition_id=edition.pk)
    return set(
        Enrolment.objects.filter(Exists(required), edition_id=edition.pk)
        .exclude(evaluation_request__answered_on__isnull=False)
        .values_list("pk", flat=True)
    )


def who_answered(*, edition: CourseEdition) -> tuple[list[User], list[User]]:
    """(who has answered, who has not) among the edition's requests, by name:
    never what anyone answered. One query."""
    answered, waiting = [], []
    rows = (
        EvaluationRequest.objects.filter(enrolment__edition=edition)
        .select_related("enrolment__trainee")
        .order_by("enrolment__trainee__last_name", "enrolment__trainee__first_name")
    )
    for row in rows:
        (answered if row.answered_on else waiting).append(row.enrolment.trainee)
    return answered, waiting


def courses_evaluated() -> list[CoursePage]:
    """Courses with an edition evaluated (sent or answered), for the results
    index."""
    return list(
        CoursePage.objects.filter(
            Q(editions__evaluation_responses__isnull=False)
            | Q(editions__enrolments__evaluation_request__isnull=False)
        )
        .distinct()
        .order_by("code")
    )


def instructors_evaluated() -> list[User]:
    return list(
        User.objects.filter(
            Q(editions_taught__evaluation_responses__isnull=False)
            | Q(editions_taught__enrolments__evaluation_request__isnull=False)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
