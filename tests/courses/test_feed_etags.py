"""Finding 19: a public feed's ETag covers everything it prints in its
language. For each change of a printed field, in Italian and in English, the
body of a feed (an edition's, one session's) changes, and so does its ETag, so
no subscriber keeps the old text behind a 304."""

import pytest
from django.urls import reverse
from django.utils import translation

from courses.models import Session
from tests.factories import (
    CourseEditionFactory,
    InstructorFactory,
    SessionFactory,
    VenueFactory,
    english_locale,
    rome_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(site):
    instructor = InstructorFactory(first_name="Giulia", last_name="Ferri")
    edition = CourseEditionFactory(
        sessions=0,
        course__title="Cobot in linea",
        venue=VenueFactory(name="Laboratorio cobot", name_en="Cobot lab"),
        notes="Portare scarpe antinfortunistiche.",
    )
    edition.instructors.set([instructor])
    edition.save()
    SessionFactory(
        edition=edition,
        start=rome_at(30, hour=9),
        topic="Valutazione dei rischi",
        topic_en="Risk assessment",
    )
    course_en = edition.course.copy_for_translation(english_locale(), copy_parents=True)
    course_en.title = "Cobots on the line"
    course_en.slug = "cobots-on-the-line"
    course_en.save_revision().publish()
    return edition


def english_course(edition):
    return edition.course.get_translation(english_locale()).specific


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def session_of(edition) -> Session:
    return Session.objects.get(edition=edition)


def save(instance, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()


CHANGES = {
    "italian title": lambda e: publish(e.course, title="Cobot in produzione"),
    "english title": lambda e: publish(english_course(e), title="Cobots at work"),
    "english slug": lambda e: publish(english_course(e), slug="cobots-at-work"),
    "english page unpublished": lambda e: english_course(e).unpublish(),
    "italian topic": lambda e: save(session_of(e), topic="Rischi e norme"),
    "english topic": lambda e: save(session_of(e), topic_en="Risks and standards"),
    "room": lambda e: save(session_of(e), room="Aula 4"),
    "mandatory": lambda e: save(session_of(e), mandatory=True),
    "italian venue name": lambda e: save(e.venue, name="Laboratorio robotica"),
    "english venue name": lambda e: save(e.venue, name_en="Robotics lab"),
    "address": lambda e: save(e.venue, address="Via Nizza 1"),
    "notes": lambda e: save(e, notes="Portare un portatile."),
    "instructor's name": lambda e: save(e.instructors.get(), last_name="Ferraris"),
}


def urls(edition) -> dict[str, str]:
    with translation.override("it"):  # the unprefixed paths
        feed = reverse("courses:edition_feed", args=[edition.code])
        download = reverse("courses:session_ics", args=[session_of(edition).uuid])
    return {
        "edition it": feed,
        "edition en": "/en" + feed,
        "session it": download,
        "session en": "/en" + download,
    }


# Which feeds print the changed field (the others must not change at all).
ITALIAN = {"edition it", "session it"}
ENGLISH = {"edition en", "session en"}
BOTH = ITALIAN | ENGLISH
PRINTED_IN = {
    "italian title": ITALIAN,
    "english title": ENGLISH,
    "english slug": ENGLISH,
    "english page unpublished": ENGLISH,
    "italian topic": ITALIAN,
    "english topic": ENGLISH,
    "italian venue name": ITALIAN,
    "english venue name": ENGLISH,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_printed_change_gives_a_new_etag(client, edition, change):
    before = {name: client.get(url) for name, url in urls(edition).items()}
    CHANGES[change](edition)
    for name, url in urls(edition).items():
        old = before[name]
        new = client.get(url, HTTP_IF_NONE_MATCH=old["ETag"])
        if name in PRINTED_IN.get(change, BOTH):
            assert new.status_code == 200, (change, name)
            assert new["ETag"] != old["ETag"], (change, name)
            body_without_stamps = [
                line
                for line in new.content.split(b"\r\n")
                if not line.startswith((b"DTSTAMP", b"LAST-MODIFIED"))
            ]
            assert body_without_stamps != [
                line
                for line in old.content.split(b"\r\n")
                if not line.startswith((b"DTSTAMP", b"LAST-MODIFIED"))
            ], (change, name)
