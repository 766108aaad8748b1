"""Whatever a visitor puts in the catalogue's query string, the page answers: an
invalid filter is reported and ignored, never a server error. The suite runs on
SQLite and on PostgreSQL, so these run on both backends."""

import pytest

from courses.models import Area
from tests.factories import CourseEditionFactory

pytestmark = pytest.mark.django_db

NASTY_SEARCHES = [
    '"',
    '""',
    '"""',
    'a"b',
    '"cobot',
    "'",
    "a' b",
    "(",
    ")",
    "((a",
    "a))",
    "*",
    "a*",
    "*a",
    "OR",
    "AND",
    "NOT",
    "NEAR",
    "a OR b",
    "OR OR",
    "NEAR(a b)",
    "a NOT",
    "-",
    "-a",
    "+a",
    "^a",
    ":",
    "a:b",
    "a:*",
    "title:cobot",
    "&",
    "|",
    "!",
    "a & b",
    "a | !b",
    "<->",
    "a <-> b",
    "\\",
    "a\\",
    "%",
    "_",
    "{[<>]}",
    "~`$#;/?",
    "\x01",
    "\t\n",
    "café ñ ü",
    "x" * 100,
]


@pytest.fixture
def catalogue(site):
    _, index = site
    CourseEditionFactory(course__title="Cobot in linea", course__area=Area.ROBOTICS)
    return index


@pytest.mark.parametrize("query", NASTY_SEARCHES)
def test_any_search_text_answers(catalogue, client, query):
    response = client.get(catalogue.url, {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["a\x00b", "\x00", "x" * 101])
def test_a_search_that_cannot_be_run_is_reported_and_ignored(catalogue, client, query):
    response = client.get(catalogue.url, {"q": query})
    assert response.status_code == 200
    assert response.context["filter_warnings"]
    assert [c.title for c in response.context["courses"]] == ["Cobot in linea"]


def test_double_quotes_are_searched_as_words(catalogue, client):
    response = client.get(catalogue.url, {"q": '"cobot"'})
    assert response.status_code == 200
    assert not response.context["filter_warnings"]
    assert [c.title for c in response.context["courses"]] == ["Cobot in linea"]


@pytest.mark.parametrize(
    "month",
    [
        "0001-01",
        "0000-01",
        "1999-12",
        "9999-12",
        "2100-01",
        "2026-13",
        "2026-00",
        "10000-01",
        "-2026-01",
        "2026-1-1",
        "'",
        '"',
        "\x00",
    ],
)
def test_month_out_of_range_is_reported_and_ignored(catalogue, client, month):
    response = client.get(catalogue.url, {"month": month})
    assert response.status_code == 200
    assert response.context["filter_warnings"]
    assert [c.title for c in response.context["courses"]] == ["Cobot in linea"]


def test_nasty_values_together_still_apply_the_valid_filters(catalogue, client):
    CourseEditionFactory(course__title="Stampa 3D", course__area=Area.ADDITIVE)
    response = client.get(
        catalogue.url, {"q": '"', "month": "0001-01", "area": Area.ROBOTICS}
    )
    assert response.status_code == 200
    assert response.context["filter_warnings"]
    assert [c.title for c in response.context["courses"]] == ["Cobot in linea"]
