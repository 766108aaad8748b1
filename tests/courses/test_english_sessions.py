"""Session topics and venue names follow the page language, else stay Italian."""

import pytest
from django.utils import translation

from courses.models import Session, Venue
from tests.factories import (
    CourseEditionFactory,
    SessionFactory,
    VenueFactory,
    english_locale,
)

pytestmark = pytest.mark.django_db


def make_edition():
    edition = CourseEditionFactory(
        course__title="Cobot in linea",
        venue=VenueFactory(name="MTC — Laboratorio cobot", name_en="MTC — Cobot lab"),
        sessions=0,
    )
    SessionFactory(
        edition=edition,
        topic="Valutazione dei rischi",
        topic_en="Risk assessment",
    )
    return edition


def translate(course):
    course_en = course.copy_for_translation(english_locale(), copy_parents=True)
    course_en.title = "Cobots on the line"
    course_en.save_revision().publish()
    return course_en


def test_english_course_page_shows_english_topics_and_venue_names(site, client):
    edition = make_edition()
    course_en = translate(edition.course)
    response = client.get(course_en.url)
    content = response.content.decode()
    assert response.status_code == 200
    assert course_en.url.startswith("/en/")
    assert "Risk assessment" in content
    assert "MTC — Cobot lab" in content
    assert "Valutazione dei rischi" not in content
    assert "Laboratorio cobot" not in content


def test_italian_course_page_shows_italian_topics_and_venue_names(site, client):
    edition = make_edition()
    translate(edition.course)
    response = client.get(edition.course.url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Valutazione dei rischi" in content
    assert "MTC — Laboratorio cobot" in content
    assert "Risk assessment" not in content
    assert "Cobot lab" not in content


def test_english_page_falls_back_to_italian_where_no_english_is_given(site, client):
    edition = make_edition()
    edition.venue.name_en = ""
    edition.venue.save()
    SessionFactory(edition=edition, topic="Laboratorio: pallettizzazione")
    course_en = translate(edition.course)
    content = client.get(course_en.url).content.decode()
    assert "Risk assessment" in content
    assert "Laboratorio: pallettizzazione" in content
    assert "MTC — Laboratorio cobot" in content


def test_localized_topic_and_name_fall_back_to_italian():
    session = Session(topic="Codici G e M", topic_en="")
    venue = Venue(name="Aula magna", name_en="")
    with translation.override("en"):
        assert session.localized_topic == "Codici G e M"
        assert venue.localized_name == "Aula magna"
    session.topic_en = "G-codes and M-codes"
    venue.name_en = "Main hall"
    with translation.override("en"):
        assert session.localized_topic == "G-codes and M-codes"
        assert venue.localized_name == "Main hall"
    with translation.override("it"):
        assert session.localized_topic == "Codici G e M"
        assert venue.localized_name == "Aula magna"
