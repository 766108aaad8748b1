"""Finding 18: an event's SEQUENCE only grows (RFC 5545 3.8.7.4), whatever
staff change of what it shows: the session's own fields, or its edition
cancelled and reopened."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from icalendar import Calendar

from courses.calendar import CalendarContext, calendar_bytes
from courses.models import EditionStatus, Session
from courses.selectors import calendar_sessions
from courses.services import edition_cancel, edition_reopen
from tests.factories import CourseEditionFactory, InstructorFactory, StaffFactory

pytestmark = pytest.mark.django_db


def sequences(edition) -> list[int]:
    sessions = list(calendar_sessions(Session.objects.filter(edition=edition)))
    context = CalendarContext(domain="makers.example", language="it", name="Test")
    body = calendar_bytes(sessions, context=context)
    return [event["SEQUENCE"] for event in Calendar.from_ical(body).walk("VEVENT")]


def test_cancel_then_reopen_never_lowers_the_sequence():
    staff = StaffFactory()
    edition = CourseEditionFactory(sessions=2)
    assert sequences(edition) == [0, 0]
    edition_cancel(edition=edition, actor=staff, reason="Docente malato")
    assert sequences(edition) == [1, 1]
    edition_reopen(edition=edition, actor=staff, reason="Docente guarito")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.OPEN
    assert sequences(edition) == [2, 2]
    edition_cancel(edition=edition, actor=staff, reason="Aula inagibile")
    assert sequences(edition) == [3, 3]


def test_a_session_cancelled_on_its_own_keeps_its_sequence_with_the_edition():
    staff = StaffFactory()
    edition = CourseEditionFactory(sessions=2)
    first = edition.sessions.order_by("start").first()
    first.cancelled = True
    first.save()
    edition_cancel(edition=edition, actor=staff, reason="Docente malato")
    edition_reopen(edition=edition, actor=staff, reason="Docente guarito")
    # The cancelled session showed no change; the other was cancelled, restored.
    assert sequences(edition) == [1, 2]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("room", "Laboratorio 3"),
        ("topic", "Altro argomento"),
        ("topic_en", "Another topic"),
        ("mandatory", True),
        ("instructor", "new"),
        ("start", "later"),
        ("cancelled", True),
    ],
)
def test_every_change_an_event_shows_raises_the_sequence(field, value):
    edition = CourseEditionFactory(sessions=1)
    session = edition.sessions.get()
    if value == "new":
        value = InstructorFactory()
    if value == "later":
        value = session.start + dt.timedelta(minutes=30)
    setattr(session, field, value)
    session.save()
    assert sequences(edition) == [1]
    session.save()  # saved again unchanged: no new revision
    assert sequences(edition) == [1]


def test_migration_keeps_the_sequence_cancelled_editions_showed():
    migration = importlib.import_module(
        "courses.migrations.0006_session_sequence_counts_edition_cancellation"
    )
    cancelled = CourseEditionFactory(sessions=1, status=EditionStatus.CANCELLED)
    running = CourseEditionFactory(sessions=1)
    Session.objects.update(sequence=2)
    migration.count_cancellation(apps, None)
    assert cancelled.sessions.get().sequence == 3
    assert running.sessions.get().sequence == 2
    migration.uncount_cancellation(apps, None)
    assert cancelled.sessions.get().sequence == 2
