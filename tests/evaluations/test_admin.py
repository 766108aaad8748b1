"""The admin of course evaluation: staff build questionnaires (one default at
most), mark editions and read results; other roles have none of it."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from evaluations.models import Questionnaire
from tests.factories import (
    CompanyMemberFactory,
    InstructorFactory,
    StaffFactory,
    TraineeFactory,
)
from tests.text import italian

from .conftest import questionnaire_build

pytestmark = pytest.mark.django_db

SCREENS = [
    "/admin/snippets/evaluations/questionnaire/",
    "/admin/snippets/evaluations/questionnaire/add/",
    "/admin/snippets/evaluations/evaluationrequirement/",
    "/admin/snippets/evaluations/evaluationrequirement/add/",
    "/admin/evaluations/results/",
]


def test_at_most_one_default(questionnaire):
    with pytest.raises(IntegrityError):
        questionnaire_build(title="Secondo")


def test_staff_open_every_screen(client, site, questionnaire):
    client.force_login(StaffFactory())
    for url in SCREENS + [
        reverse(
            "wagtailsnippets_evaluations_questionnaire:edit", args=[questionnaire.pk]
        )
    ]:
        assert client.get(url).status_code == 200, url


def test_staff_build_a_questionnaire_with_questions(client, site):
    client.force_login(StaffFactory())
    data = {
        "title": "Valutazione",
        "title_en": "Evaluation",
        "is_default": "on",
        "course": "",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for n, (kind, text) in enumerate([("rating", "Voto"), ("text", "Commenti")]):
        data.update(
            {
                f"questions-{n}-kind": kind,
                f"questions-{n}-text": text,
                f"questions-{n}-text_en": text,
                f"questions-{n}-choices": "",
                f"questions-{n}-choices_en": "",
                f"questions-{n}-required": "on",
                f"questions-{n}-ORDER": str(n + 1),
                f"questions-{n}-DELETE": "",
                f"questions-{n}-id": "",
            }
        )
    response = client.post(SCREENS[1], data)
    assert response.status_code == 302, response.content.decode()[:3000]
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.is_default
    assert [q.kind for q in questionnaire.questions.all()] == ["rating", "text"]


@pytest.mark.parametrize(
    "factory",
    [
        TraineeFactory,
        InstructorFactory,
        lambda: CompanyMemberFactory(is_manager=True).user,
    ],
    ids=["trainee", "instructor", "company member"],
)
def test_other_roles_see_nothing(client, site, questionnaire, factory):
    client.force_login(factory())
    for url in SCREENS + [
        reverse("evaluation_course_results", args=[1]),
        reverse("evaluation_answered", args=[1]),
    ]:
        assert client.get(url).status_code in (302, 403), url


def test_a_choice_question_needs_two_choices_in_each_language(questionnaire):
    from django.core.exceptions import ValidationError

    question = questionnaire.questions.get(kind="choice")
    question.full_clean()
    question.choices = "Una sola"
    with pytest.raises(ValidationError):
        question.full_clean()
    question.choices = "Una\nDue"
    question.choices_en = "One\nTwo\nThree"
    with pytest.raises(ValidationError):
        question.full_clean()


def test_the_default_has_no_course(questionnaire):
    from django.core.exceptions import ValidationError

    from tests.factories import CoursePageFactory

    questionnaire.course = CoursePageFactory()
    with pytest.raises(ValidationError):
        questionnaire.full_clean()


def test_a_questionnaire_sent_is_not_deleted(client, site, questionnaire, completed):
    from evaluations.services import requests_create

    requests_create(edition=completed[0])
    client.force_login(StaffFactory())
    url = reverse(
        "wagtailsnippets_evaluations_questionnaire:delete", args=[questionnaire.pk]
    )
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert (
        italian(
            "This questionnaire was sent to trainees and is kept with their "
            "answers: edit it instead, or make another the default.",
            html=True,
        )
        in response.content.decode()
    )
    assert Questionnaire.objects.filter(pk=questionnaire.pk).exists()


def test_a_questionnaire_never_sent_is_deleted(client, site, questionnaire):
    client.force_login(StaffFactory())
    url = reverse(
        "wagtailsnippets_evaluations_questionnaire:delete", args=[questionnaire.pk]
    )
    assert client.post(url).status_code == 302
    assert not Questionnaire.objects.exists()
