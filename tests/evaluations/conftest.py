import pytest

from evaluations.models import Question, Questionnaire
from tests.factories import edition_completed


def questionnaire_build(*, title="Valutazione del corso", course=None, default=True):
    """A questionnaire with a rating, a single-choice and a free-text question
    (the last optional)."""
    questionnaire = Questionnaire.objects.create(
        title=title, title_en="Course evaluation", is_default=default, course=course
    )
    Question.objects.create(
        questionnaire=questionnaire,
        sort_order=0,
        kind="rating",
        text="Quanto sei soddisfatto del corso?",
        text_en="How satisfied are you with the course?",
    )
    Question.objects.create(
        questionnaire=questionnaire,
        sort_order=1,
        kind="choice",
        text="Il ritmo era",
        text_en="The pace was",
        choices="Troppo lento\nGiusto\nTroppo veloce",
        choices_en="Too slow\nRight\nToo fast",
    )
    Question.objects.create(
        questionnaire=questionnaire,
        sort_order=2,
        kind="text",
        text="Commenti",
        text_en="Comments",
        required=False,
    )
    return questionnaire


def answers_for(questionnaire, *, rating="4", choice="Giusto", text=""):
    rating_q, choice_q, text_q = questionnaire.questions.order_by("sort_order")
    return {str(rating_q.pk): rating, str(choice_q.pk): choice, str(text_q.pk): text}


@pytest.fixture
def questionnaire(db):
    return questionnaire_build()


@pytest.fixture
def completed(db):
    """A completed edition (last session 7 days ago) with six trainees."""
    return edition_completed(trainees=6, competencies=1)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)
