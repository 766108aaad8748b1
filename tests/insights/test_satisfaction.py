"""The Satisfaction report: the average of the anonymous rating answers per
course, per instructor and per month, from editions with at least
MIN_ANSWERS answers only; its filters, chart, table and files, its query
count, and who may read it."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Area, Session
from enrolment.exports import csv_delimiter
from evaluations.results import MIN_ANSWERS
from evaluations.services import requests_create, response_submit
from insights.registry import REPORTS
from insights.selectors import ReportFilters, satisfaction_report
from insights.selectors.base import month_label
from tests.evaluations.conftest import answers_for, questionnaire_build
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    CoursePageFactory,
    FundingLineFactory,
    InstructorFactory,
    edition_completed,
)
from tests.text import italian

pytestmark = pytest.mark.django_db

URL = reverse("makers_report", args=["satisfaction"])


def evaluated(*, ratings, course=None, instructors=(), code=None, days_earlier=0):
    """A completed edition whose trainees answered with `ratings` (one
    response each; one more trainee does not answer)."""
    kwargs = {"course": course} if course else {}
    if code:
        kwargs["code"] = code
    edition, _s, _e = edition_completed(
        trainees=len(ratings) + 1, competencies=0, **kwargs
    )
    if days_earlier:
        shift = dt.timedelta(days=days_earlier)
        Session.objects.filter(edition=edition).update(
            start=F("start") - shift, end=F("end") - shift
        )
    edition.instructors.add(*instructors)
    edition.save()  # a parental relation: written with the edition
    questionnaire = questionnaire_build(default=False, course=edition.course)
    for request, rating in zip(requests_create(edition=edition), ratings, strict=False):
        response_submit(
            request=request,
            data=answers_for(questionnaire, rating=str(rating), text="Ottimo"),
        )
    return edition


@pytest.fixture
def evaluations(site):
    """Robotics: R-1 (1..5, average 3) and R-2 (six 5s), both taught by
    Rossi, R-2 by Bianchi too, R-2 two months earlier. Additive: A-1 with
    four answers only (left out), taught by Bianchi."""
    rossi = InstructorFactory(first_name="Mario", last_name="Rossi")
    bianchi = InstructorFactory(first_name="Anna", last_name="Bianchi")
    robotics = CoursePageFactory(area=Area.ROBOTICS, title="Cobot")
    first = evaluated(
        ratings=[1, 2, 3, 4, 5], course=robotics, instructors=[rossi], code="R-1"
    )
    # A course has one questionnaire: R-2's answers go to R-1's.
    second, _s, _e = edition_completed(
        trainees=6, competencies=0, course=robotics, code="R-2"
    )
    shift = dt.timedelta(days=60)
    Session.objects.filter(edition=second).update(
        start=F("start") - shift, end=F("end") - shift
    )
    second.instructors.add(rossi, bianchi)
    second.save()
    for request in requests_create(edition=second):
        response_submit(
            request=request,
            data=answers_for(request.questionnaire, rating="5", text="Bene"),
        )
    additive = CoursePageFactory(area=Area.ADDITIVE, title="Stampa 3D")
    few = evaluated(
        ratings=[1] * (MIN_ANSWERS - 1),
        course=additive,
        instructors=[bianchi],
        code="A-1",
    )
    return {"first": first, "second": second, "few": few, "rossi": rossi}


def rows_by_label(figures) -> dict:
    return {row[0]: row[1:] for row in figures.rows}


def test_per_course_counts_editions_with_enough_answers_only(evaluations):
    figures = satisfaction_report(filters=ReportFilters())
    # 15 over 5, R-2: 30 over 6: 45 over 11. A-1 has four answers.
    assert rows_by_label(figures) == {"Cobot": [2, 11, 4.09]}
    assert "1." in figures.note or ": 1." in figures.note
    assert str(MIN_ANSWERS) in figures.note
    assert figures.charted == (3,) and not figures.over_time


def test_per_instructor(evaluations):
    rows = rows_by_label(satisfaction_report(filters=ReportFilters(by="instructor")))
    # Bianchi's A-1 does not count; R-2 counts for both its instructors.
    assert rows == {"Anna Bianchi": [1, 6, 5.0], "Mario Rossi": [2, 11, 4.09]}


def test_an_edition_without_instructor_has_its_row(site):
    evaluated(ratings=[4] * MIN_ANSWERS)
    rows = rows_by_label(satisfaction_report(filters=ReportFilters(by="instructor")))
    assert rows == {italian("No instructor"): [1, MIN_ANSWERS, 4.0]}


def test_per_month_of_the_editions_start(evaluations):
    figures = satisfaction_report(filters=ReportFilters(by="month"))
    assert figures.over_time
    months = {
        edition.code: month_label(
            timezone.localtime(edition.sessions.order_by("start").first().start)
        )
        for edition in (evaluations["first"], evaluations["second"])
    }
    assert months["R-1"] != months["R-2"]
    assert rows_by_label(figures) == {
        months["R-2"]: [1, 6, 5.0],
        months["R-1"]: [1, 5, 3.0],
    }
    assert [row[0] for row in figures.rows] == sorted(months.values())


def test_filters(evaluations):
    def labels(**kwargs):
        return list(rows_by_label(satisfaction_report(filters=ReportFilters(**kwargs))))

    assert labels(area=Area.ADDITIVE) == []
    assert labels(area=Area.ROBOTICS) == ["Cobot"]
    assert labels(course=evaluations["first"].course_id) == ["Cobot"]
    today = timezone.localdate()
    assert labels(start=today, end=today) == []
    # R-2 started 74 days ago: a period of the last 30 days has R-1 only.
    recent = satisfaction_report(
        filters=ReportFilters(start=today - dt.timedelta(days=30))
    )
    assert rows_by_label(recent) == {"Cobot": [1, 5, 3.0]}
    FundingLineFactory(edition=evaluations["second"], kind="fondo")
    funded = satisfaction_report(filters=ReportFilters(kind="fondo"))
    assert rows_by_label(funded) == {"Cobot": [1, 6, 5.0]}
    # Answers know no company: the filter is not the report's, and ignored.
    company = ReportFilters(company=CompanyFactory().pk)
    assert satisfaction_report(filters=company).rows == (
        satisfaction_report(filters=ReportFilters()).rows
    )
    assert "company" not in REPORTS["satisfaction"].filters


@pytest.mark.parametrize("by", ["course", "instructor", "month"])
def test_query_count_does_not_grow_with_the_answers(
    evaluations, django_assert_max_num_queries, by
):
    filters = ReportFilters(by=by)
    with CaptureQueriesContext(connection) as small:
        satisfaction_report(filters=filters)
    for days in (10, 40):
        evaluated(
            ratings=[3] * (MIN_ANSWERS + 2),
            instructors=[InstructorFactory(), evaluations["rossi"]],
            days_earlier=days,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        figures = satisfaction_report(filters=filters)
    assert len(small.captured_queries) <= 3
    assert sum(row[2] for row in figures.rows) >= 11 + 2 * (MIN_ANSWERS + 2)


def test_staff_read_the_table_and_the_chart(evaluations, staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert italian("Satisfaction", html=True) in html
    start = html.index('class="report-chart"')
    svg = html[start : html.index("</svg>", start)]
    assert ">Cobot</text>" in svg and ">4,1</text>" in svg
    table = html[html.index('<table class="listing report-table">') :]
    assert '<th scope="row">Cobot</th>' in table
    assert "<td>4,09</td>" in table or "<td>4.09</td>" in table
    # The filters that apply: no company.
    assert 'name="area"' in html and 'name="course"' in html
    assert 'name="company"' not in html


def test_per_month_is_a_line_chart(evaluations, staff_client):
    html = staff_client.get(URL, {"by": "month"}).content.decode()
    assert "<polyline" in html and ">5,0</text>" in html


def test_files_parse_back_with_the_same_figures(evaluations, staff_client):
    response = staff_client.get(URL, {"format": "csv", "by": "instructor"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=csv_delimiter()))
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert by_label["Mario Rossi"][:2] == ["2", "11"]
    assert by_label["Mario Rossi"][2] in ("4,09", "4.09")
    response = staff_client.get(URL, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: list(row[1:]) for row in sheet.iter_rows(values_only=True)}
    assert rows["Cobot"] == [2, 11, 4.09]


def test_anonymous_is_sent_to_sign_in_for_the_page_and_its_files(client, site):
    for query in ({}, {"format": "csv"}, {"format": "xlsx"}):
        response = client.get(URL, query)
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize(
    "factory",
    [InstructorFactory, lambda: CompanyMemberFactory(is_manager=True).user],
    ids=["instructor", "company manager"],
)
def test_other_roles_get_no_figures_and_no_files(evaluations, client, factory):
    """(tests/insights/test_views.py runs every report past every role; here
    what a refused request shows: no figure, no file.)"""
    client.force_login(factory())
    for query in ({}, {"format": "csv"}, {"format": "xlsx"}):
        response = client.get(URL, query)
        assert response.status_code in (302, 403)
        assert b"Cobot" not in response.content
