"""The answer page: owner only, one submission, every answer checked before
anything is stored."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from evaluations.models import EvaluationRequest, Response
from evaluations.services import requests_create
from tests.factories import TraineeFactory
from tests.text import italian

from .conftest import answers_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(questionnaire, completed):
    return requests_create(edition=completed[0])[0]


def url(evaluation):
    return reverse("evaluations:answer", args=[evaluation.token])


def test_anonymous_goes_to_sign_in(client, site, evaluation):
    response = client.get(url(evaluation))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_someone_elses_token_is_a_404(client, site, evaluation):
    client.force_login(TraineeFactory())
    assert client.get(url(evaluation)).status_code == 404
    assert client.post(url(evaluation), {}).status_code == 404
    assert not Response.objects.exists()


def test_owner_sees_the_questions_with_big_radio_targets(client, site, evaluation):
    client.force_login(evaluation.enrolment.trainee)
    response = client.get(url(evaluation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quanto sei soddisfatto del corso?" in page
    assert page.count('type="radio"') == 5 + 3
    assert "btn-lg" in page


def test_answer_once_then_thank_you(client, site, evaluation, questionnaire):
    client.force_login(evaluation.enrolment.trainee)
    data = answers_for(questionnaire, text="Ottimo laboratorio")
    response = client.post(url(evaluation), data, follow=True)
    assert response.status_code == 200
    assert italian("Thank you!") in response.content.decode()
    stored = Response.objects.get()
    assert stored.edition_id == evaluation.enrolment.edition_id
    assert set(stored.answers.values()) == {4, "Giusto", "Ottimo laboratorio"}
    assert EvaluationRequest.objects.get(pk=evaluation.pk).answered_on is not None


def test_a_second_submission_is_refused_with_a_message(
    client, site, evaluation, questionnaire
):
    client.force_login(evaluation.enrolment.trainee)
    client.post(url(evaluation), answers_for(questionnaire))
    response = client.post(url(evaluation), answers_for(questionnaire, rating="1"))
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert italian("You have already answered this questionnaire.") in texts
    assert Response.objects.count() == 1
    assert list(Response.objects.get().answers.values())[0] == 4


def test_a_missing_required_answer_stores_nothing(
    client, site, evaluation, questionnaire
):
    client.force_login(evaluation.enrolment.trainee)
    response = client.post(url(evaluation), answers_for(questionnaire, choice=""))
    assert response.status_code == 400
    assert (
        italian("Please answer: %(question)s", html=True, question="Il ritmo era")
        in response.content.decode()
    )
    assert not Response.objects.exists()
    assert EvaluationRequest.objects.get(pk=evaluation.pk).answered_on is None


@pytest.mark.parametrize("rating", ["0", "6", "x", "4.5"])
def test_a_rating_out_of_range_is_refused(
    client, site, evaluation, questionnaire, rating
):
    client.force_login(evaluation.enrolment.trainee)
    response = client.post(url(evaluation), answers_for(questionnaire, rating=rating))
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_a_choice_not_offered_is_refused(client, site, evaluation, questionnaire):
    client.force_login(evaluation.enrolment.trainee)
    response = client.post(url(evaluation), answers_for(questionnaire, choice="Boh"))
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_me_lists_the_pending_questionnaire_in_bounded_queries(
    client, site, questionnaire, completed, django_assert_max_num_queries
):
    from tests.factories import edition_completed

    trainee = completed[2][0].trainee
    requests_create(edition=completed[0])
    other, _s, _e = edition_completed(trainees=0, competencies=0)
    from tests.factories import ConfirmedEnrolmentFactory

    ConfirmedEnrolmentFactory(edition=other, trainee=trainee)
    requests_create(edition=other)
    client.force_login(trainee)
    client.get(reverse("portal:dashboard"))  # warm the caches
    with django_assert_max_num_queries(25) as queries:
        response = client.get(reverse("portal:dashboard"))
    page = response.content.decode()
    assert italian("Questionnaires to answer") in page
    assert page.count("/me/evaluations/") == 2
    evaluation_queries = [
        q for q in queries.captured_queries if "evaluations_" in q["sql"]
    ]
    assert len(evaluation_queries) == 1
