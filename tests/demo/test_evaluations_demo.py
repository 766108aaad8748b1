"""The evaluation demo: the default questionnaire, AM-101/1 answered by five
of its trainees (its figures show) and not by allievo4, whose certificate
waits for the questionnaire; a second load changes nothing."""

import pytest
from django.urls import reverse

from certificates.eligibility import enrolment_eligibility
from courses.models import CourseEdition
from enrolment.models import Enrolment
from evaluations.models import (
    EvaluationRequest,
    EvaluationRequirement,
    Question,
    Questionnaire,
    Response,
)
from evaluations.results import course_results
from people.models import User
from tests.demo.test_load_demo import _media, clock, load  # noqa: F401
from tests.text import italian

pytestmark = pytest.mark.django_db

MODELS = (Questionnaire, Question, EvaluationRequest, Response, EvaluationRequirement)


def test_the_evaluation_demo(client, clock):  # noqa: F811
    load()
    counts = {model: model.objects.count() for model in MODELS}
    # AM-101/1 in the demo's data: the first planned AM-101 edition.
    edition = CourseEdition.objects.get(code__regex=r"^AM-101-[0-9]{4}-1$")
    requests = EvaluationRequest.objects.filter(enrolment__edition=edition)
    assert requests.filter(answered_on__isnull=False).count() == 5
    waiting = requests.get(answered_on__isnull=True)
    assert waiting.enrolment.trainee.email == "allievo4@makers-school.example"
    assert Response.objects.filter(edition=edition).count() == 5
    result = course_results(course=edition.course).editions[0]
    assert result.enough and result.questions

    held = enrolment_eligibility(enrolment=waiting.enrolment)
    assert held.reasons == [
        italian("The certificate waits for the course questionnaire.")
    ]
    answered = Enrolment.objects.get(
        edition=edition, trainee__email="dipendente2@makers-school.example"
    )
    assert enrolment_eligibility(enrolment=answered).eligible

    client.force_login(User.objects.get(email="allievo4@makers-school.example"))
    page = client.get(reverse("portal:certificates")).content.decode()
    assert (
        italian(
            "Your certificate for %(course)s (edition %(code)s) waits for the "
            "course questionnaire.",
            course=edition.course.title,
            code=edition.code,
            html=True,
        )
        in page
    )
    assert (
        "/me/evaluations/" in client.get(reverse("portal:dashboard")).content.decode()
    )
    client.force_login(User.objects.get(email="staff@makers-school.example"))
    url = reverse("evaluation_course_results", args=[edition.course.pk])
    assert client.get(url).status_code == 200

    load()  # idempotent
    assert {model: model.objects.count() for model in MODELS} == counts
