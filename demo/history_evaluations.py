"""The reports' past editions (demo.reports) taught and evaluated: each gets
an instructor free at its sessions, and the course questionnaire answered
by most of its trainees through the evaluation services, ratings leaning by
edition (demo/data/evaluations.yaml, history). Dates are moved to just after
the edition, as if answered then: every answer of an edition the same day.
Only adds what is missing."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from courses.models import CourseEdition
from courses.selectors import instructor_sessions_between
from evaluations.models import EvaluationRequest, QuestionKind, Response
from evaluations.services import requests_create, response_submit
from people.models import User


def history_instructor(edition: CourseEdition, candidates: list[User]) -> None:
    """The first of `candidates` free at every session of the edition
    teaches it (nobody, if none is)."""
    sessions = list(edition.sessions.all())
    for person in candidates:
        busy = any(
            instructor_sessions_between(
                instructor_ids=[person.pk],
                start=session.start,
                end=session.end,
                exclude_ids=[session.pk],
            )
            for session in sessions
        )
        if not busy:
            edition.instructors.add(person)
            edition.save()  # a parental relation: written with the edition
            return


def _answers(request: EvaluationRequest, n: int, k: int, spec: dict) -> dict:
    """Trainee n's answers to edition k's questionnaire: ratings around the
    edition's mood, choices and comments in turn."""
    mood = spec["moods"][k % len(spec["moods"])]
    comments = spec["comments"]
    answers = {}
    for i, question in enumerate(request.questionnaire.questions.all()):
        if question.kind == QuestionKind.RATING:
            value = max(1, min(5, mood + (n + i + k) % 3 - 1))
        elif question.kind == QuestionKind.CHOICE:
            value = question.choice_list()[(n + k) % 2]
        else:
            value = comments[(n + k) % len(comments)]
        answers[str(question.pk)] = value
    return answers


def history_evaluate(
    edition: CourseEdition, k: int, *, spec: dict, created: Counter
) -> None:
    if EvaluationRequest.objects.filter(enrolment__edition=edition).exists():
        return
    requests = requests_create(edition=edition)
    if not requests:
        return
    unanswered = spec["unanswered"][k % len(spec["unanswered"])]
    answering = requests[: max(len(requests) - unanswered, 0)]
    for n, request in enumerate(answering):
        response_submit(request=request, data=_answers(request, n, k, spec))
    ended = max(session.end for session in edition.sessions.all())
    answered_on = (ended + dt.timedelta(days=3)).date()
    pks = [request.pk for request in requests]
    EvaluationRequest.objects.filter(pk__in=pks).update(
        sent_at=ended + dt.timedelta(days=1)
    )
    EvaluationRequest.objects.filter(pk__in=pks, answered_on__isnull=False).update(
        answered_on=answered_on
    )
    # Both reminders went to those who did not answer.
    EvaluationRequest.objects.filter(pk__in=pks, answered_on__isnull=True).update(
        reminders_sent=2
    )
    Response.objects.filter(edition=edition).update(submitted_on=answered_on)
    created["history evaluation requests"] += len(requests)
    created["history evaluation responses"] += len(answering)
