"""Demo course evaluation (demo/data/evaluations.yaml): the school's default
questionnaire, AM-101/1 evaluated by five of its trainees (its figures show)
and not yet by allievo4, whose certificate waits for the questionnaire (the
edition requires it). Answers go through the evaluation services.

Idempotent: a default questionnaire, a request, an answer or a requirement that
exists is kept.
"""

import datetime as dt
from collections import Counter

from courses.models import CourseEdition
from enrolment.models import Enrolment
from evaluations.models import (
    EvaluationRequest,
    EvaluationRequirement,
    Question,
    Questionnaire,
)
from evaluations.services import requests_create, response_submit
from people.models import Company, User

from .certificates import _past_enrolment, _record_assessments, _record_attendance
from .data import data


def _questionnaire(spec: dict, *, created: Counter) -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(is_default=True).first()
    if questionnaire is not None:
        return questionnaire
    questionnaire = Questionnaire.objects.create(
        title=spec["title"], title_en=spec["title_en"], is_default=True
    )
    for number, question in enumerate(spec["questions"]):
        Question.objects.create(
            questionnaire=questionnaire,
            sort_order=number,
            kind=question["kind"],
            text=question["text"],
            text_en=question["text_en"],
            choices=question.get("choices", ""),
            choices_en=question.get("choices_en", ""),
            required=question.get("required", True),
        )
        created["questions"] += 1
    created["questionnaires"] += 1
    return questionnaire


def _join(
    *,
    trainee: User,
    sponsor: User | None,
    company: Company,
    edition: CourseEdition,
    created: Counter,
) -> None:
    """A past trainee of the edition, present throughout, every competency."""
    made = not Enrolment.objects.filter(trainee=trainee, edition=edition).exists()
    enrolment = _past_enrolment(
        trainee=trainee, edition=edition, company=company, sponsor=sponsor
    )
    created["evaluation trainees"] += made
    sessions = [s for s in edition.sessions.order_by("start") if not s.cancelled]
    _record_attendance(
        enrolment=enrolment, sessions=sessions, attended=len(sessions), created=created
    )
    _record_assessments(
        enrolment=enrolment,
        competencies=list(edition.course.competencies.all()),
        achieved=True,
        created=created,
    )


def _answer(request: EvaluationRequest, values: list) -> None:
    questions = list(request.questionnaire.questions.all())
    response_submit(
        request=request,
        data={str(q.pk): value for q, value in zip(questions, values, strict=True)},
    )


def load_evaluations(
    *,
    users: dict[str, User],
    editions: dict[str, CourseEdition],
    company: Company,
    now: dt.datetime,
    created: Counter,
) -> None:
    spec = data("evaluations")
    _questionnaire(spec["questionnaire"], created=created)
    edition = editions[spec["edition"]]
    for join in spec["joins"]:
        _join(
            trainee=users[join["who"]],
            sponsor=users.get(join.get("sponsor", "")),
            company=company,
            edition=edition,
            created=created,
        )
    if spec["required"]:
        _, made = EvaluationRequirement.objects.get_or_create(edition=edition)
        created["evaluation requirements"] += made
    sent_at = now - dt.timedelta(days=spec["sent_days_ago"])
    new = requests_create(edition=edition)
    EvaluationRequest.objects.filter(pk__in=[r.pk for r in new]).update(
        sent_at=sent_at, reminders_sent=1
    )
    created["evaluation requests"] += len(new)
    requests = EvaluationRequest.objects.filter(
        enrolment__edition=edition
    ).select_related("enrolment__trainee", "questionnaire")
    by_email = {r.enrolment.trainee.email: r for r in requests}
    for who, values in spec["answers"].items():
        request = by_email.get(users[who].email)
        if request is not None and request.answered_on is None:
            _answer(request, values)
            created["evaluation responses"] += 1
