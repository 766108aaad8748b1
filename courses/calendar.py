"""iCalendar feeds of sessions: pure functions from sessions to a calendar.

No request and no query here: callers pass sessions with their edition, course,
venue and instructors already loaded (select_related / prefetch_related), and the
localized course titles and links in a CalendarContext. Built with the
`icalendar` package only.

Every event is identified by `<session uuid>@<site domain>` (stable for the
session's life), carries the session's SEQUENCE (raised by Session.save when staff
move, cancel or restore it) and is stamped with the session's last change, so the
same session always serialises to the same bytes. That is what makes the fast
path possible: calendar_bytes() keeps each serialised VEVENT in a bounded
in-process cache keyed by everything the event shows, and a feed is the
concatenation of cached events; a changed session is a new key, never a stale
entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
    vRecur,
    vText,
)

from .calendar_lines import event_lines
from .models import EditionStatus, Session

TZID = "Europe/Rome"
ROME = ZoneInfo(TZID)
# How often subscribed calendars should fetch the feed again.
REFRESH_INTERVAL = dt.timedelta(hours=1)
REMINDER_BEFORE = dt.timedelta(days=1)
PRODID = "-//Makers' School//Calendar feeds//{language}"
# Serialised events kept per process (a few hundred bytes each).
EVENT_CACHE_SIZE = 50_000


@dataclass(frozen=True)
class CourseLink:
    """A course as the feed's language shows it: title and absolute page URL."""

    title: str
    url: str = ""


@dataclass(frozen=True)
class CalendarContext:
    """What a feed needs besides its sessions.

    courses maps a course page id (edition.course_id) to its title and link in
    the feed's language; a course missing from it shows its own title, no link.
    """

    domain: str
    language: str
    name: str
    now: dt.datetime = field(default_factory=timezone.now)
    courses: Mapping[int, CourseLink] = field(default_factory=dict)


@dataclass(frozen=True)
class EventData:
    """Everything one VEVENT shows: the key of the serialised-event cache."""

    uid: str
    sequence: int
    stamp: dt.datetime
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str
    description: str
    url: str
    cancelled: bool
    reminder: str


def session_is_cancelled(session: Session) -> bool:
    """A session is off when staff cancelled it or its whole edition."""
    return session.cancelled or session.edition.status == EditionStatus.CANCELLED


def feed_sessions(sessions: Iterable[Session], *, now: dt.datetime) -> list[Session]:
    """The sessions a feed lists: all but cancelled ones already over.

    A cancelled session stays (as STATUS:CANCELLED) until it is past, so
    subscribed calendars show the cancellation instead of a silent gap.
    """
    return [
        session
        for session in sessions
        if not (session_is_cancelled(session) and session.end < now)
    ]


def session_changed_at(session: Session) -> dt.datetime:
    """When what the session's event shows last changed: the session, its
    edition (notes, instructors) or its venue."""
    edition = session.edition
    return max(session.updated_at, edition.updated_at, edition.venue.updated_at)


@dataclass(frozen=True)
class Labels:
    """The words of an event in the active language, translated once per feed."""

    cancelled: str
    instructor: str
    mandatory: str
    bring: str
    edition: str
    course_page: str
    reminder: str


def labels() -> Labels:
    return Labels(
        cancelled=pgettext("calendar event of a cancelled session", "[CANCELLED]"),
        instructor=_("Instructor: %(names)s"),
        mandatory=_("Attendance is mandatory."),
        bring=_("What to bring: %(notes)s"),
        edition=_("Edition: %(code)s"),
        course_page=_("Course page: %(url)s"),
        reminder=_("Tomorrow: %(summary)s"),
    )


def _names(people: Iterable) -> str:
    return ", ".join(person.get_full_name() or person.email for person in people)


def _instructor_names(session: Session, edition_names: dict[int, str]) -> str:
    """The session's own instructor, else the edition's (edition_names keeps
    them per edition for the rest of the feed)."""
    if session.instructor_id is not None:
        return _names([session.instructor])
    names = edition_names.get(session.edition_id)
    if names is None:
        names = edition_names[session.edition_id] = _names(
            session.edition.instructors.all()
        )
    return names


def _location(session: Session) -> str:
    venue = session.edition.venue
    parts = [venue.localized_name, session.room, venue.full_address]
    return ", ".join(part for part in parts if part)


def session_event_data(
    session: Session,
    *,
    context: CalendarContext,
    words: Labels,
    edition_names: dict[int, str],
) -> EventData:
    """The event of one session, in the active language (see calendar_bytes).

    words (labels()) and edition_names are shared by all the sessions of a
    feed: the same words are translated, and an edition's instructors listed,
    once per feed."""
    edition = session.edition
    course = context.courses.get(edition.course_id) or CourseLink(edition.course.title)
    cancelled = session_is_cancelled(session)
    summary = f"{course.title}: {session.localized_topic}"
    if cancelled:
        summary = f"{words.cancelled} {summary}"
    lines = []
    instructors = _instructor_names(session, edition_names)
    if instructors:
        lines.append(words.instructor % {"names": instructors})
    if session.mandatory:
        lines.append(words.mandatory)
    if edition.notes:
        lines.append(words.bring % {"notes": edition.notes})
    lines.append(words.edition % {"code": edition.code})
    if course.url:
        lines.append(words.course_page % {"url": course.url})
    return EventData(
        uid=f"{session.uuid}@{context.domain}",
        # Cancelling or reopening the edition raised it too (courses.services).
        sequence=session.sequence,
        stamp=session_changed_at(session).astimezone(dt.UTC).replace(microsecond=0),
        start=session.start.astimezone(ROME),
        end=session.end.astimezone(ROME),
        summary=summary,
        location=_location(session),
        description="\n".join(lines),
        url=course.url,
        cancelled=cancelled,
        reminder=words.reminder % {"summary": summary},
    )


def event_component(data: EventData) -> Event:
    """The VEVENT of one session (with a reminder the day before, unless off)."""
    event = Event()
    event.add("uid", data.uid)
    event.add("dtstamp", data.stamp)
    event.add("last-modified", data.stamp)
    event.add("sequence", data.sequence)
    event.add("dtstart", data.start)
    event.add("dtend", data.end)
    event.add("summary", data.summary)
    event.add("location", data.location)
    event.add("description", data.description)
    if data.url:
        event.add("url", data.url)
    event.add("status", "CANCELLED" if data.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if data.cancelled else "OPAQUE")
    if not data.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", data.reminder)
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
    return event


# The VALARM's TRIGGER, as icalendar writes the duration (e.g. "-P1D").
_TRIGGER = vDuration(-REMINDER_BEFORE).to_ical().decode()


@lru_cache(maxsize=EVENT_CACHE_SIZE)
def _event_bytes(data: EventData) -> bytes:
    """event_component(data).to_ical(), written directly (courses.calendar_lines)."""
    return event_lines(data, tzid=TZID, trigger=_TRIGGER)


def _calendar_header(*, context: CalendarContext) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID.format(language=context.language.upper()))
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # Text values (RFC 5545 3.3.11): icalendar knows neither property, and
    # would write a course title's commas, semicolons and newlines raw.
    calendar.add("x-wr-calname", vText(context.name))
    calendar.add("name", vText(context.name))
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    return calendar


def _observance(
    kind: type[TimezoneStandard | TimezoneDaylight],
    *,
    name: str,
    onset: dt.datetime,
    offset_from: dt.timedelta,
    offset_to: dt.timedelta,
) -> TimezoneStandard | TimezoneDaylight:
    observance = kind()
    observance.add("tzname", name)
    observance.add("tzoffsetfrom", offset_from)
    observance.add("tzoffsetto", offset_to)
    observance.add("dtstart", onset)
    observance.add("rrule", vRecur(freq="YEARLY", bymonth=onset.month, byday="-1SU"))
    return observance


def rome_vtimezone() -> Timezone:
    """Europe/Rome as a VTIMEZONE with the EU rule (in force since 1996).

    Each observance starts at the local time in force before the change
    (RFC 5545 3.6.5): summer time at 02:00 CET on the last Sunday of March,
    winter time at 03:00 CEST on the last Sunday of October. icalendar's
    Timezone.from_tzid writes the March change at 03:00 (the local time after
    it), which shifts events by an hour on that day in clients that read the
    VTIMEZONE (docs/upstream/icalendar-vtimezone-from-tzid.md); and a rule has
    no first or last year to keep up with.
    """
    cet, cest = dt.timedelta(hours=1), dt.timedelta(hours=2)
    timezone_ = Timezone()
    timezone_.add("tzid", TZID)
    timezone_.add("x-lic-location", TZID)
    timezone_.add_component(
        _observance(
            TimezoneDaylight,
            name="CEST",
            onset=dt.datetime(1996, 3, 31, 2),
            offset_from=cet,
            offset_to=cest,
        )
    )
    timezone_.add_component(
        _observance(
            TimezoneStandard,
            name="CET",
            onset=dt.datetime(1996, 10, 27, 3),
            offset_from=cest,
            offset_to=cet,
        )
    )
    return timezone_


@lru_cache(maxsize=1)
def _vtimezone_bytes() -> bytes:
    return rome_vtimezone().to_ical()


def _events(sessions: Iterable[Session], context: CalendarContext) -> list[EventData]:
    with translation.override(context.language):
        words = labels()
        edition_names: dict[int, str] = {}
        return [
            session_event_data(
                session, context=context, words=words, edition_names=edition_names
            )
            for session in feed_sessions(sessions, now=context.now)
        ]


def calendar_object(
    sessions: Iterable[Session], *, context: CalendarContext
) -> Calendar:
    """The feed as an icalendar Calendar: header, VTIMEZONE, one VEVENT each."""
    events = _events(sessions, context)
    with translation.override(context.language):
        calendar = _calendar_header(context=context)
    calendar.add_component(rome_vtimezone())
    for data in events:
        calendar.add_component(event_component(data))
    return calendar


def calendar_bytes(sessions: Iterable[Session], *, context: CalendarContext) -> bytes:
    """The feed serialised (the same calendar as calendar_object()), fast.

    Each event's bytes come from the serialised-event cache; only the header,
    the (cached) VTIMEZONE and the events are joined.
    """
    events = _events(sessions, context)
    with translation.override(context.language):
        header = _calendar_header(context=context).to_ical()
    end = b"END:VCALENDAR\r\n"
    assert header.endswith(end)  # nosec B101 - our own output's shape; never run with -O
    parts = [header[: -len(end)], _vtimezone_bytes()]
    parts.extend(_event_bytes(data) for data in events)
    parts.append(end)
    return b"".join(parts)
