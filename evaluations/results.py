"""The anonymous results of course evaluation, per course and per instructor,
edition by edition: the average of each rating question, the distribution of
each choice question and the free-text comments. An edition's figures show only
from MIN_ANSWERS responses; below, only how many answered.

Nothing here reads a request, an enrolment or a person (requests only say
which editions were evaluated): a Response has no path to one
(tests/evaluations/test_anonymity.py). Three queries, whatever the number of
editions and responses; editions_ratings, what the staff reports chart, two.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import mean

from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    TextField,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import IsNull

from courses.models import CourseEdition, CoursePage
from people.models import User

from .models import Question, QuestionKind, Response

MIN_ANSWERS = 5


@dataclass
class QuestionResult:
    question: Question
    answers: int = 0
    average: float | None = None  # rating questions
    distribution: list[tuple[str, int]] = field(default_factory=list)  # choice
    comments: list[str] = field(default_factory=list)  # free text


@dataclass
class EditionResult:
    edition: CourseEdition
    responses: int
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.responses >= MIN_ANSWERS

    def average(self, question_id: int) -> float | None:
        for result in self.questions:
            if result.question.pk == question_id:
                return result.average
        return None


@dataclass
class Results:
    editions: list[EditionResult]
    rating_questions: list[Question]

    def rows(self) -> list[tuple[EditionResult, list[float | None]]]:
        """Per edition, over time, the average of each rating question (None
        where there are too few answers)."""
        return [
            (
                edition,
                [
                    edition.average(question.pk) if edition.enough else None
                    for question in self.rating_questions
                ],
            )
            for edition in self.editions
        ]


def _question_result(question: Question, values: list) -> QuestionResult:
    values = [value for value in values if value not in (None, "")]
    result = QuestionResult(question=question, answers=len(values))
    if question.kind == QuestionKind.RATING and values:
        result.average = round(mean(int(value) for value in values), 2)
    elif question.kind == QuestionKind.CHOICE:
        counts = Counter(values)
        labels = dict(question.localized_choices())
        result.distribution = [
            (labels.get(choice, choice), counts.get(choice, 0))
            for choice in question.choice_list()
        ]
    elif question.kind == QuestionKind.TEXT:
        result.comments = sorted(str(value) for value in values)
    return result


def _edition_result(edition, responses, questions) -> EditionResult:
    result = EditionResult(edition=edition, responses=len(responses))
    if not result.enough:
        return result
    asked = {response.questionnaire_id for response in responses}
    for question in questions:
        if question.questionnaire_id not in asked:
            continue
        values = [response.answers.get(str(question.pk)) for response in responses]
        result.questions.append(_question_result(question, values))
    return result


def _results(editions) -> Results:
    """The results of `editions` (a queryset), oldest first."""
    editions = list(
        editions.annotate(
            last_end=Max("sessions__end", filter=Q(sessions__cancelled=False))
        ).order_by("last_end", "pk")
    )
    by_edition = defaultdict(list)
    for response in Response.objects.filter(edition__in=[e.pk for e in editions]):
        by_edition[response.edition_id].append(response)
    questionnaire_ids = {
        response.questionnaire_id
        for responses in by_edition.values()
        for response in responses
    }
    questions = list(
        Question.objects.filter(questionnaire_id__in=questionnaire_ids).order_by(
            "questionnaire_id", "sort_order", "pk"
        )
    )
    return Results(
        editions=[
            _edition_result(edition, by_edition.get(edition.pk, []), questions)
            for edition in editions
        ],
        rating_questions=[q for q in questions if q.kind == QuestionKind.RATING],
    )


# An edition is in the results once its questionnaire was sent (so staff see
# who has answered), or once it has responses.
EVALUATED = Q(evaluation_responses__isnull=False) | Q(
    enrolments__evaluation_request__isnull=False
)


def course_results(*, course: CoursePage) -> Results:
    """The course's evaluated editions, oldest first."""
    return _results(CourseEdition.objects.filter(EVALUATED, course=course).distinct())


def instructor_results(*, instructor: User) -> Results:
    """The evaluated editions the instructor taught, oldest first."""
    return _results(
        CourseEdition.objects.filter(EVALUATED, instructors=instructor).distinct()
    )


@dataclass(frozen=True)
class EditionRatings:
    """One edition's rating answers, summed over its responses: never one
    response's."""

    edition_id: int
    responses: int
    rating_total: int
    ratings: int


class _Answer(Func):
    """One answer of a Response, by question id, as SQL text. Not Django's
    key transform: it reads a key of digits as an array index, and answers
    are keyed by question id. PostgreSQL and SQLite."""

    output_field = TextField()

    def __init__(self, question_id: int) -> None:
        self.question_id = int(question_id)
        super().__init__(F("answers"))

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"JSON_EXTRACT({sql}, %s)", [*params, f'$."{self.question_id}"']

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} ->> %s)", [*params, str(self.question_id)]


def _rating_sums() -> tuple[Case, Case]:
    """Per response, the sum of its rating answers and how many it gave, as
    SQL: one branch per questionnaire, so a row reads only the keys of its
    own questionnaire's rating questions. One query."""
    by_questionnaire = defaultdict(list)
    for questionnaire_id, pk in Question.objects.filter(
        kind=QuestionKind.RATING
    ).values_list("questionnaire_id", "pk"):
        by_questionnaire[questionnaire_id].append(pk)
    totals, counts = [], []
    for questionnaire_id, pks in by_questionnaire.items():
        values = [Cast(_Answer(pk), IntegerField()) for pk in pks]
        total = sum(
            (Coalesce(value, 0) for value in values[1:]), Coalesce(values[0], 0)
        )
        given = [Case(When(IsNull(v, False), then=1), default=0) for v in values]
        count = sum(given[1:], given[0])
        totals.append(When(questionnaire_id=questionnaire_id, then=total))
        counts.append(When(questionnaire_id=questionnaire_id, then=count))
    field = IntegerField()
    return (
        Case(*totals, default=0, output_field=field),
        Case(*counts, default=0, output_field=field),
    )


def editions_ratings(
    *, editions: QuerySet[CourseEdition]
) -> tuple[list[EditionRatings], int]:
    """The rating answers of each of `editions` with at least MIN_ANSWERS
    responses, and how many editions were left out for having fewer (but
    some). Grouped in the database, two queries whatever the number of
    responses: what a report may draw of the anonymous answers."""
    total, count = _rating_sums()
    rows = (
        Response.objects.filter(edition__in=editions.values("pk"))
        .values("edition_id")
        .annotate(responses=Count("pk"), total=Sum(total), ratings=Sum(count))
        .order_by("edition_id")
    )
    counted, too_few = [], 0
    for row in rows:
        if row["responses"] < MIN_ANSWERS:
            too_few += 1
            continue
        counted.append(
            EditionRatings(
                edition_id=row["edition_id"],
                responses=row["responses"],
                rating_total=row["total"] or 0,
                ratings=row["ratings"] or 0,
            )
        )
    return counted, too_few
