"""What search engines show of each page: a <meta name="description">, never empty."""

import re

import pytest

from cms.templatetags.cms_tags import DESCRIPTION_MAX_CHARS
from tests.factories import CourseEditionFactory, CoursePageFactory

pytestmark = pytest.mark.django_db

META_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def description(response) -> str:
    found = META_DESCRIPTION.findall(response.content.decode())
    assert len(found) == 1, found
    assert found[0].strip()
    return found[0]


def test_home_catalogue_and_course_page_describe_themselves(site, client):
    home, index = site
    home.hero_text = "La scuola della Camera di commercio di Torino al MTC."
    home.save_revision().publish()
    course = CoursePageFactory(summary="Stampa 3D metallica: dalla teoria al pezzo.")
    CourseEditionFactory(course=course)

    assert "Camera di commercio di Torino al MTC" in description(client.get("/"))
    assert "catalogo dei corsi" in description(client.get(index.url))
    assert description(client.get(course.url)) == (
        "Stampa 3D metallica: dalla teoria al pezzo."
    )


def test_staff_search_description_comes_first_and_is_escaped(site, client):
    course = CoursePageFactory(
        summary="Il riassunto.", search_description='Corso "cobot" & sicurezza'
    )
    body = client.get(course.url).content.decode()
    assert (
        '<meta name="description" content="Corso &quot;cobot&quot; &amp; sicurezza">'
        in body
    )


def test_a_long_summary_is_cut_for_search_results(site, client):
    course = CoursePageFactory(summary="Robotica collaborativa " * 30)
    assert len(description(client.get(course.url))) <= DESCRIPTION_MAX_CHARS


def test_pages_that_are_not_wagtail_pages_get_the_school_default(site, client):
    text = description(client.get("/accounts/login/", follow=True))
    assert "Makers' School" in text or "Makers&#x27; School" in text
