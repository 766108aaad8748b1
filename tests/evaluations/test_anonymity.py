"""Answers are anonymous: no field of a Response leads to a person, an
enrolment or a request, and no report or screen shows a name beside an
answer (the staff Satisfaction report and its files included); an edition's
figures show only from five answers."""

import io

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from openpyxl import load_workbook

from courses.models import CourseEdition
from evaluations.models import EvaluationRequest, Questionnaire, Response
from evaluations.results import MIN_ANSWERS, course_results
from evaluations.services import requests_create, response_submit
from tests.factories import StaffFactory, edition_completed

from .conftest import answers_for

pytestmark = pytest.mark.django_db

PERSONAL = {
    apps.get_model("people", "User"),
    apps.get_model("enrolment", "Enrolment"),
    EvaluationRequest,
}


def _reachable(model, seen):
    """Every model a Response's forward relations lead to, transitively
    (one hop further only through models that are not the edition or course
    themselves: the edition's trainees are reached through reverse relations,
    which a report reading Response fields does not follow)."""
    for field in model._meta.get_fields():
        if not field.is_relation or field.auto_created and not field.concrete:
            continue
        target = field.related_model
        if target is None or target in seen:
            continue
        seen.add(target)
        if target not in (CourseEdition, Questionnaire):
            _reachable(target, seen)
    return seen


def test_no_response_field_leads_to_a_person_an_enrolment_or_a_request():
    fields = {field.name for field in Response._meta.get_fields()}
    assert fields == {"id", "questionnaire", "edition", "submitted_on", "answers"}
    direct = {
        field.related_model
        for field in Response._meta.get_fields()
        if field.is_relation
    }
    assert direct == {Questionnaire, CourseEdition}
    assert not PERSONAL & _reachable(Response, set())
    # The primary key is random and the time a date: neither orders responses
    # as their requests were answered.
    assert Response._meta.pk.get_internal_type() == "UUIDField"
    assert Response._meta.get_field("submitted_on").get_internal_type() == "DateField"
    assert (
        EvaluationRequest._meta.get_field("answered_on").get_internal_type()
        == "DateField"
    )
    assert not Response._meta.ordering


def test_nothing_but_a_request_points_at_the_trainee():
    """No evaluations model other than the request has a relation to a person
    or an enrolment."""
    for model in apps.get_app_config("evaluations").get_models():
        if model is EvaluationRequest:
            continue
        targets = {
            f.related_model
            for f in model._meta.get_fields()
            if f.is_relation and f.concrete  # its own columns, not reverse ones
        }
        assert not PERSONAL & targets, model


def _answered(questionnaire, edition, enrolments, count, comment="commento"):
    requests = requests_create(edition=edition)
    for number, request in enumerate(requests[:count]):
        response_submit(
            request=request,
            data=answers_for(
                questionnaire, rating=str(1 + number % 5), text=f"{comment} {number}"
            ),
        )


def test_figures_show_from_five_answers(questionnaire):
    edition, _s, enrolments = edition_completed(trainees=6, competencies=0)
    _answered(questionnaire, edition, enrolments, MIN_ANSWERS - 1)
    result = course_results(course=edition.course).editions[0]
    assert result.responses == MIN_ANSWERS - 1
    assert not result.enough and result.questions == []
    request = EvaluationRequest.objects.filter(answered_on__isnull=True).first()
    response_submit(request=request, data=answers_for(questionnaire, rating="5"))
    result = course_results(course=edition.course).editions[0]
    assert result.enough
    rating, choice, text = result.questions
    assert rating.average == 3.0  # 1, 2, 3, 4 and 5
    assert dict(choice.distribution) == {
        "Troppo lento": 0,
        "Giusto": 5,
        "Troppo veloce": 0,
    }
    assert len(text.comments) == 4


def test_reports_show_no_name_beside_an_answer(client, site, questionnaire):
    edition, _s, enrolments = edition_completed(trainees=7, competencies=0)
    instructor = StaffFactory()  # any person: the edition's instructor here
    edition.instructors.add(instructor)
    edition.save()
    _answered(questionnaire, edition, enrolments, 6, comment="Commento libero")
    client.force_login(StaffFactory())
    pages = [
        reverse("evaluation_results"),
        reverse("evaluation_course_results", args=[edition.course.pk]),
        reverse("evaluation_instructor_results", args=[instructor.pk]),
    ]
    trainees = [e.trainee for e in enrolments]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        for trainee in trainees:
            for part in (trainee.email, trainee.last_name, str(trainee)):
                assert part not in html, (page, part)
    html = client.get(pages[1]).content.decode()
    assert "Commento libero 0" in html and "Commento libero 5" in html
    # Who has answered: names, and nothing they answered.
    answered = client.get(reverse("evaluation_answered", args=[edition.pk]))
    html = answered.content.decode()
    assert all(str(trainee) in html for trainee in trainees)
    assert "Commento libero" not in html and "Giusto" not in html


def test_results_view_in_bounded_queries(
    client, site, questionnaire, django_assert_max_num_queries
):
    course = None
    for _ in range(3):
        kwargs = {"course": course} if course else {}
        edition, _s, enrolments = edition_completed(
            trainees=5, competencies=0, **kwargs
        )
        course = edition.course
        _answered(questionnaire, edition, enrolments, 5)
    client.force_login(StaffFactory())
    url = reverse("evaluation_course_results", args=[course.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as queries:
        response = client.get(url)
    with translation.override("it"):  # the admin speaks the site's language
        average = ngettext(
            "Average %(average)s of 5 (%(counter)s answer)",
            "Average %(average)s of 5 (%(counter)s answers)",
            5,
        ) % {"average": "3,00", "counter": 5}
    assert response.content.decode().count(average) == 3
    fixed = len(queries.captured_queries)
    edition, _s, enrolments = edition_completed(
        trainees=5, competencies=0, course=course
    )
    _answered(questionnaire, edition, enrolments, 5)
    with django_assert_max_num_queries(fixed):
        client.get(url)


def test_an_edition_sent_but_not_answered_shows_who_has_not(
    client, site, questionnaire
):
    edition, _s, enrolments = edition_completed(trainees=2, competencies=0)
    requests_create(edition=edition)
    client.force_login(StaffFactory())
    html = client.get(
        reverse("evaluation_course_results", args=[edition.course.pk])
    ).content.decode()
    with translation.override("it"):
        assert gettext("Not enough answers to show figures.") in html
    assert reverse("evaluation_answered", args=[edition.pk]) in html
    index = client.get(reverse("evaluation_results")).content.decode()
    assert reverse("evaluation_course_results", args=[edition.course.pk]) in index


SATISFACTION = reverse("makers_report", args=["satisfaction"])


def test_the_satisfaction_report_and_its_files_name_nobody(client, site, questionnaire):
    """Every grouping of the staff report, as a page, CSV and XLSX: no
    trainee's name or address, no free-text answer, and an edition under
    MIN_ANSWERS answers adds nothing (only that it was left out)."""
    edition, _s, enrolments = edition_completed(trainees=7, competencies=0)
    edition.instructors.add(StaffFactory(first_name="Docente", last_name="Uno"))
    edition.save()
    _answered(questionnaire, edition, enrolments, 6, comment="Commento libero")
    few, _s, few_enrolments = edition_completed(trainees=4, competencies=0)
    _answered(questionnaire, few, few_enrolments, MIN_ANSWERS - 1)
    trainees = [e.trainee for e in (*enrolments, *few_enrolments)]
    client.force_login(StaffFactory())
    for by in ("course", "instructor", "month"):
        outputs = [
            client.get(SATISFACTION, {"by": by}).content.decode(),
            client.get(SATISFACTION, {"by": by, "format": "csv"}).content.decode(
                "utf-8-sig"
            ),
            _xlsx_text(client.get(SATISFACTION, {"by": by, "format": "xlsx"})),
        ]
        for output in outputs:
            assert "Commento libero" not in output and "commento" not in output
            for trainee in trainees:
                for part in (trainee.email, trainee.last_name, str(trainee)):
                    assert part not in output, (by, part)
        # The edition under MIN_ANSWERS is not a row (only the course filter
        # offers its course).
        assert f'<th scope="row">{few.course.title}</th>' not in outputs[0]
        assert few.course.title not in outputs[1] + outputs[2]
        assert "Docente Uno" in outputs[0] or by != "instructor"


def _xlsx_text(response) -> str:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return "\n".join(
        " ".join(str(value) for value in row if value is not None)
        for row in sheet.iter_rows(values_only=True)
    )
