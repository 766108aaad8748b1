"""courses.calendar and the public feeds: every feed parses back with icalendar
and with a second, independent parser (ics), across the DST changes."""

import datetime as dt
import zoneinfo

import ics
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from courses import calendar as calendar_module
from courses.calendar import CalendarContext, calendar_bytes, calendar_object
from courses.models import EditionStatus, Session
from courses.selectors import calendar_sessions
from courses.services import edition_cancel
from tests.factories import (
    CourseEditionFactory,
    InstructorFactory,
    SessionFactory,
    VenueFactory,
    rome_at,
)

ROME = zoneinfo.ZoneInfo("Europe/Rome")
UTC = dt.UTC


def parse_both(body: bytes) -> tuple[Calendar, ics.Calendar]:
    """The feed read by icalendar and by ics (which has its own parser)."""
    return Calendar.from_ical(body), ics.Calendar(body.decode("utf-8"))


def context(**kwargs) -> CalendarContext:
    return CalendarContext(
        domain="makers.example", language=kwargs.pop("language", "it"), name="Test"
    )


def listed(edition) -> list[Session]:
    return list(calendar_sessions(Session.objects.filter(edition=edition)))


@pytest.fixture
def edition(db):
    instructor = InstructorFactory(first_name="Nicolò", last_name="D'Amico")
    venue = VenueFactory(
        name="Laboratorio; robotica, MTC", address="Corso Settembrini 178"
    )
    edition = CourseEditionFactory(
        sessions=0,
        venue=venue,
        course__title="Saldatura à la carte; teoria, pratica",
        notes="Scarpe antinfortunistiche, occhiali; camice è fornito.",
    )
    edition.instructors.set([instructor])
    edition.save()
    start = rome_at(10, hour=9)
    SessionFactory(
        edition=edition,
        start=start,
        end=start + dt.timedelta(hours=4),
        topic="Qualità, sicurezza; perché è importante " + "molto " * 20,
        room="Aula 2",
        mandatory=True,
    )
    return edition


def test_feed_parses_back_with_both_parsers_and_carries_every_field(edition):
    sessions = listed(edition)
    body = calendar_bytes(sessions, context=context())
    cal, other = parse_both(body)
    session = sessions[0]

    assert cal["X-WR-CALNAME"] == "Test"
    assert cal["VERSION"] == "2.0"
    assert cal["REFRESH-INTERVAL"].dt == dt.timedelta(hours=1)
    assert cal["X-PUBLISHED-TTL"] == "PT1H"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Rome"]
    (event,) = cal.walk("VEVENT")
    assert event["UID"] == f"{session.uuid}@makers.example"
    assert event["SEQUENCE"] == 0
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert event["DTSTART"].dt == session.start
    assert event["DTEND"].dt == session.end
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["SUMMARY"]).startswith("Saldatura à la carte; teoria, pratica: ")
    assert "Qualità, sicurezza; perché" in str(event["SUMMARY"])
    location = str(event["LOCATION"])
    assert location.startswith("Laboratorio; robotica, MTC, Aula 2, Corso Settembrini")
    description = str(event["DESCRIPTION"])
    assert "Nicolò D'Amico" in description
    assert "Scarpe antinfortunistiche, occhiali; camice è fornito." in description
    assert edition.code in description
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["TRIGGER"].dt == -dt.timedelta(days=1)

    (ev,) = other.events
    assert ev.uid == event["UID"]
    assert ev.begin == session.start and ev.end == session.end
    assert ev.name == str(event["SUMMARY"])
    assert ev.location == location

    # Escaping and folding: commas and semicolons escaped, no line over 75 octets.
    assert b"Laboratorio\\; robotica\\, MTC" in body
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert b"\n" not in body.replace(b"\r\n", b"")


def test_fast_bytes_are_the_calendar_object_serialised(edition):
    SessionFactory(edition=edition, start=rome_at(20, hour=14), cancelled=True)
    sessions = listed(edition)
    ctx = context()
    assert calendar_bytes(sessions, context=ctx) == (
        calendar_object(sessions, context=ctx).to_ical()
    )


@pytest.mark.parametrize(
    ("now", "before", "after"),
    [
        # Clocks go forward on Sunday 29 March 2026, back on Sunday 25 October.
        ("2026-03-23T10:00:00+01:00", dt.date(2026, 3, 27), dt.date(2026, 3, 30)),
        ("2026-10-19T10:00:00+02:00", dt.date(2026, 10, 23), dt.date(2026, 10, 26)),
    ],
)
def test_sessions_across_a_dst_change_keep_their_rome_time(db, now, before, after):
    with time_machine.travel(dt.datetime.fromisoformat(now), tick=False):
        edition = CourseEditionFactory(sessions=0)
        for day in (before, after):
            start = dt.datetime.combine(day, dt.time(9), tzinfo=ROME)
            SessionFactory(
                edition=edition, start=start, end=start + dt.timedelta(hours=4)
            )
        body = calendar_bytes(listed(edition), context=context())
    cal, other = parse_both(body)
    starts = [event["DTSTART"].dt for event in cal.walk("VEVENT")]
    assert [start.astimezone(ROME).hour for start in starts] == [9, 9]
    offsets = sorted(start.astimezone(UTC).hour for start in starts)
    assert offsets == [7, 8]  # CEST is UTC+2, CET UTC+1
    assert b"DTSTART;TZID=Europe/Rome:" in body
    other_starts = sorted(event.begin.to("Europe/Rome").hour for event in other.events)
    assert other_starts == [9, 9]
    assert sorted(event.begin.to("UTC").hour for event in other.events) == [7, 8]
    # The VTIMEZONE names both rules, so clients need no timezone database.
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert {c.name for c in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_sequence_grows_when_staff_move_cancel_or_restore(edition):
    session = Session.objects.get(edition=edition)
    uid = session.uuid
    session.save()
    session.refresh_from_db()
    assert session.sequence == 0  # saved unchanged: not a revision
    session.start += dt.timedelta(days=1)
    session.end += dt.timedelta(days=1)
    session.save()
    session.cancelled = True
    session.save()
    session.cancelled = False
    session.save()
    session.refresh_from_db()
    assert session.sequence == 3
    assert session.uuid == uid
    (event,) = Calendar.from_ical(
        calendar_bytes(listed(edition), context=context())
    ).walk("VEVENT")
    assert event["SEQUENCE"] == 3
    assert event["UID"] == f"{uid}@makers.example"


def test_cancelled_session_stays_until_it_is_past(edition):
    session = Session.objects.get(edition=edition)
    session.cancelled = True
    session.save()
    body = calendar_bytes(listed(edition), context=context())
    cal, other = parse_both(body)
    (event,) = cal.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    with translation.override("it"):
        cancelled = translation.pgettext(
            "calendar event of a cancelled session", "[CANCELLED]"
        )
    assert str(event["SUMMARY"]).startswith(cancelled + " ")
    assert not event.walk("VALARM")
    (ev,) = other.events
    assert ev.status == "CANCELLED"
    english = Calendar.from_ical(
        calendar_bytes(listed(edition), context=context(language="en"))
    )
    assert str(english.walk("VEVENT")[0]["SUMMARY"]).startswith("[CANCELLED] ")
    with time_machine.travel(session.end + dt.timedelta(minutes=1), tick=False):
        later = Calendar.from_ical(calendar_bytes(listed(edition), context=context()))
    assert later.walk("VEVENT") == []


def test_cancelled_edition_shows_its_sessions_cancelled(edition):
    edition_cancel(edition=edition, actor=None, reason="Docente malato")
    (event,) = Calendar.from_ical(
        calendar_bytes(listed(edition), context=context())
    ).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_serialised_events_are_cached_by_what_they_show(edition):
    calendar_module._event_bytes.cache_clear()
    sessions = listed(edition)
    calendar_bytes(sessions, context=context())
    calendar_bytes(sessions, context=context())
    info = calendar_module._event_bytes.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    session = Session.objects.get(edition=edition)
    session.start += dt.timedelta(hours=1)
    session.end += dt.timedelta(hours=1)
    session.save()
    body = calendar_bytes(listed(edition), context=context())
    assert calendar_module._event_bytes.cache_info().misses == 2
    assert Calendar.from_ical(body).walk("VEVENT")[0]["SEQUENCE"] == 1


# The public views.


def feed_url(edition) -> str:
    return reverse("courses:edition_feed", args=[edition.code])


def test_edition_feed_answers_a_calendar_with_validators(client, edition):
    response = client.get(feed_url(edition))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=900"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert "X-Page-Cache" not in response
    cal, other = parse_both(response.content)
    assert len(cal.walk("VEVENT")) == len(other.events) == 1
    assert edition.code in str(cal["X-WR-CALNAME"])
    # The course page link of the event is absolute (the Wagtail site's host).
    event = cal.walk("VEVENT")[0]
    assert str(event["URL"]).startswith("http")
    assert str(event["URL"]).endswith(edition.course.url)


def test_edition_feed_304_without_building(
    client, edition, monkeypatch, django_assert_max_num_queries
):
    first = client.get(feed_url(edition))
    monkeypatch.setattr(
        "courses.feeds.calendar_bytes",
        lambda *a, **k: pytest.fail("built the calendar for a 304"),
    )
    with django_assert_max_num_queries(2):
        again = client.get(feed_url(edition), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    since = client.get(feed_url(edition), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_edition_feed_etag_changes_when_a_session_moves(client, edition):
    first = client.get(feed_url(edition))
    session = Session.objects.get(edition=edition)
    session.start += dt.timedelta(days=2)
    session.end += dt.timedelta(days=2)
    session.save()
    again = client.get(feed_url(edition), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_edition_feed_etag_changes_when_the_venue_is_renamed(client, edition):
    first = client.get(feed_url(edition))
    venue = edition.venue
    venue.name = "Laboratorio di robotica collaborativa"
    venue.save()
    again = client.get(feed_url(edition), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    (event,) = Calendar.from_ical(again.content).walk("VEVENT")
    assert "Laboratorio di robotica collaborativa" in str(event["LOCATION"])


def test_edition_feed_etag_changes_when_the_notes_or_instructors_change(
    client, edition
):
    first = client.get(feed_url(edition))
    edition.notes = "Portare un portatile."
    edition.save()
    second = client.get(feed_url(edition), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "Portare un portatile." in second.content.decode()
    edition.instructors.set([InstructorFactory(first_name="Giulia")])
    edition.save()
    third = client.get(feed_url(edition), HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200
    assert "Giulia" in third.content.decode()


def test_edition_feed_etag_changes_when_the_instructor_is_renamed(client, edition):
    first = client.get(feed_url(edition))
    instructor = edition.instructors.get()
    instructor.last_login = instructor.date_joined
    instructor.save(update_fields=["last_login"])
    unchanged = client.get(feed_url(edition), HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    instructor.last_name = "Damico"
    instructor.save()
    again = client.get(feed_url(edition), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    (event,) = Calendar.from_ical(again.content).walk("VEVENT")
    assert "Nicolò Damico" in str(event["DESCRIPTION"])


def test_edition_feed_etag_changes_when_a_session_instructor_is_renamed(
    client, edition
):
    session = Session.objects.get(edition=edition)
    session.instructor = InstructorFactory(first_name="Ada", last_name="Conti")
    session.save()
    first = client.get(feed_url(edition))
    assert "Ada Conti" in first.content.decode()
    session.instructor.last_name = "Conti Rossi"
    session.instructor.save(update_fields=["last_name"])
    again = client.get(feed_url(edition), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Ada Conti Rossi" in again.content.decode()


def test_edition_feed_queries_do_not_grow_with_sessions(
    client, db, django_assert_max_num_queries
):
    small = CourseEditionFactory(sessions=2)
    big = CourseEditionFactory(sessions=40)
    with django_assert_max_num_queries(8) as small_queries:
        assert client.get(feed_url(small)).status_code == 200
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        response = client.get(feed_url(big))
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 40


def test_draft_and_unknown_editions_are_404(client, db):
    draft = CourseEditionFactory(status=EditionStatus.DRAFT)
    assert client.get(feed_url(draft)).status_code == 404
    assert client.get("/calendar/editions/NOPE.ics").status_code == 404
    session = draft.sessions.first()
    url = reverse("courses:session_ics", args=[session.uuid])
    assert client.get(url).status_code == 404


def test_english_feed_speaks_english(client, edition):
    session = Session.objects.get(edition=edition)
    session.topic_en = "Quality and safety"
    session.save()
    response = client.get("/en" + feed_url(edition))
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert "Quality and safety" in str(event["SUMMARY"])
    assert "Instructor: Nicolò D'Amico" in str(event["DESCRIPTION"])


def test_session_download_is_one_event(client, edition):
    session = Session.objects.get(edition=edition)
    response = client.get(reverse("courses:session_ics", args=[session.uuid]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    cal, other = parse_both(response.content)
    (event,) = cal.walk("VEVENT")
    assert event["UID"].startswith(str(session.uuid) + "@")
    assert len(other.events) == 1
    again = client.get(
        reverse("courses:session_ics", args=[session.uuid]),
        HTTP_IF_NONE_MATCH=response["ETag"],
    )
    assert again.status_code == 304


def test_course_page_offers_add_to_calendar(client, edition):
    response = client.get(edition.course.url)
    html = response.content.decode()
    assert f'href="webcal://testserver{feed_url(edition)}"' in html
    assert f'href="{feed_url(edition)}?download=1"' in html
    session = Session.objects.get(edition=edition)
    assert reverse("courses:session_ics", args=[session.uuid]) in html
