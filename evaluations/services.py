"""Writes of course evaluation: the requests of a completed edition, the
hourly sending of requests and reminders, and the anonymous answer.

A response and the mark on its request are written in one transaction, under a
lock on the request, once: a second submission is refused and stores nothing.
The response keeps no link to the request, the enrolment or the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CourseEdition

from . import selectors
from .exceptions import AlreadyAnswered, EvaluationError
from .models import (
    RATING_MAX,
    RATING_MIN,
    EvaluationRequest,
    Question,
    QuestionKind,
    Response,
)


def requests_create(*, edition: CourseEdition) -> list[EvaluationRequest]:
    """A request for each confirmed trainee of the edition who has none yet,
    with the course's questionnaire (or the school's default); none if there is
    no questionnaire at all."""
    questionnaire = selectors.questionnaire_for(course_id=edition.course_id)
    if questionnaire is None:
        return []
    enrolments = list(selectors.enrolments_without_request(edition=edition))
    return EvaluationRequest.objects.bulk_create(
        [
            EvaluationRequest(enrolment=enrolment, questionnaire=questionnaire)
            for enrolment in enrolments
        ],
        ignore_conflicts=False,
    )


@dataclass
class SendPlan:
    """What one run of the sending job found to do: (request id, round), round
    0 the request itself, 1 and 2 the reminders."""

    emails: list[tuple[int, int]]


def evaluations_plan(*, now: datetime) -> SendPlan:
    """Create the requests of editions just completed and list the emails due:
    each new request's, and the reminders of the unanswered ones."""
    emails = []
    with transaction.atomic():
        for edition in selectors.editions_to_evaluate(now=now):
            emails += [(r.pk, 0) for r in requests_create(edition=edition)]
    emails += selectors.reminders_due(now=now)
    # A request created but never sent (its mail task lost): send it again.
    emails += [
        (pk, 0)
        for pk in EvaluationRequest.objects.filter(
            sent_at__isnull=True,
            answered_on__isnull=True,
            enrolment__edition__in=selectors.editions_to_evaluate(now=now),
        )
        .exclude(pk__in=[pk for pk, _round in emails])
        .values_list("pk", flat=True)
    ]
    return SendPlan(emails=emails)


def _clean_answer(question: Question, value) -> object:
    """The stored value of one answer; EvaluationError if it is not valid."""
    value = "" if value is None else str(value).strip()
    if not value:
        if question.required:
            raise EvaluationError(
                _("Please answer: %(question)s") % {"question": question.localized_text}
            )
        return None
    if question.kind == QuestionKind.RATING:
        if not value.isdigit() or not RATING_MIN <= int(value) <= RATING_MAX:
            raise EvaluationError(
                _("A rating goes from %(min)s to %(max)s.")
                % {"min": RATING_MIN, "max": RATING_MAX}
            )
        return int(value)
    if question.kind == QuestionKind.CHOICE:
        if value not in question.choice_list():
            raise EvaluationError(_("Choose one of the answers offered."))
        return value
    return value[:2000]


def answers_clean(*, questions: list[Question], data: dict) -> dict[str, object]:
    """{question id: value} from the submitted `data` (by question id)."""
    answers = {}
    for question in questions:
        value = _clean_answer(question, data.get(str(question.pk)))
        if value is not None:
            answers[str(question.pk)] = value
    return answers


def response_submit(*, request: EvaluationRequest, data: dict) -> Response:
    """Store the anonymous answers of `request` and mark it answered, once.

    AlreadyAnswered if it was answered before (nothing is stored);
    EvaluationError for a missing or invalid answer (nothing is stored).
    """
    questions = list(request.questionnaire.questions.all())
    answers = answers_clean(questions=questions, data=data)
    today = timezone.localdate()
    with transaction.atomic():
        locked = EvaluationRequest.objects.select_for_update().get(pk=request.pk)
        if locked.answered_on is not None:
            raise AlreadyAnswered(_("You have already answered this questionnaire."))
        response = Response.objects.create(
            questionnaire_id=locked.questionnaire_id,
            edition_id=request.enrolment.edition_id,
            submitted_on=today,
            answers=answers,
        )
        locked.answered_on = today
        locked.save(update_fields=["answered_on"])
    request.answered_on = today
    return response
