"""What a calendar app reads from a feed besides the events: the calendar's name
(escaped as RFC 5545 text), the Europe/Rome VTIMEZONE (its changes at the right
instants) and the feed's words in the feed's language."""

import datetime as dt
import re
import zoneinfo

import ics
import pytest
from dateutil.rrule import rrulestr
from django.utils import translation
from django.utils.translation import trans_real
from icalendar import Calendar

from courses.calendar import CalendarContext, calendar_bytes, calendar_object
from courses.models import EditionStatus, Session
from courses.selectors import calendar_sessions
from tests.factories import CourseEditionFactory

ROME = zoneinfo.ZoneInfo("Europe/Rome")
UTC = dt.UTC


def context(*, language: str = "it", name: str = "Test") -> CalendarContext:
    return CalendarContext(domain="makers.example", language=language, name=name)


def listed(edition) -> list[Session]:
    return list(calendar_sessions(Session.objects.filter(edition=edition)))


def unescape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT, read back (icalendar leaves NAME and X-WR-CALNAME
    unparsed: it knows neither)."""
    replacements = {"\\\\": "\\", "\\;": ";", "\\,": ",", "\\n": "\n", "\\N": "\n"}
    return re.sub(r"\\[\\;,nN]", lambda m: replacements[m.group()], value)


# Finding 21: the calendar's name is RFC 5545 text.


@pytest.mark.parametrize("build", ["bytes", "object"])
def test_calendar_name_is_escaped_text(db, build):
    title = "Robot, cobot; sicurezza \\ norme\nISO 10218"
    edition = CourseEditionFactory(sessions=1)
    ctx = context(name=title)
    body = (
        calendar_bytes(listed(edition), context=ctx)
        if build == "bytes"
        else calendar_object(listed(edition), context=ctx).to_ical()
    )
    escaped = b"Robot\\, cobot\\; sicurezza \\\\ norme\\nISO 10218"
    lines = body.replace(b"\r\n ", b"").split(b"\r\n")
    assert b"NAME:" + escaped in lines
    assert b"X-WR-CALNAME:" + escaped in lines
    cal = Calendar.from_ical(body)
    assert unescape_text(str(cal["NAME"])) == title
    assert unescape_text(str(cal["X-WR-CALNAME"])) == title
    other = ics.Calendar(body.decode("utf-8"))
    (name,) = [line for line in other.extra if line.name == "X-WR-CALNAME"]
    assert unescape_text(name.value) == title


# Finding 22: the VTIMEZONE's changes happen when Rome's clocks change.


def rome_changes(year: int) -> list[tuple[dt.datetime, dt.timedelta]]:
    """The instants (UTC) of Rome's changes in `year` and the offset after each,
    from the tz database."""
    changes = []
    hour = dt.datetime(year, 1, 1, tzinfo=UTC)
    before = hour.astimezone(ROME).utcoffset()
    while hour.year == year:
        after = (hour + dt.timedelta(hours=1)).astimezone(ROME).utcoffset()
        if after != before:
            changes.append((hour + dt.timedelta(hours=1), after))
            before = after
        hour += dt.timedelta(hours=1)
    return changes


def vtimezone_changes(body: bytes, year: int) -> list[tuple[dt.datetime, dt.timedelta]]:
    """The same, read from the feed's VTIMEZONE: each observance starts at its
    DTSTART (local time, read with the offset in force before it) and recurs
    by its RRULE."""
    (vtimezone,) = Calendar.from_ical(body).walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Rome"
    changes = []
    for observance in vtimezone.walk("STANDARD") + vtimezone.walk("DAYLIGHT"):
        onset = observance["DTSTART"].dt
        offset_from = observance["TZOFFSETFROM"].td
        offset_to = observance["TZOFFSETTO"].td
        rules = observance.get("RRULE")
        locals_ = [onset]
        if rules is not None:
            rule = rrulestr(rules.to_ical().decode(), dtstart=onset)
            locals_ = rule.between(
                dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1), inc=True
            )
        rdates = observance.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            locals_ += [date.dt for date in rdate.dts]
        for local in locals_:
            if local.year == year and offset_from != offset_to:
                instant = (local - offset_from).replace(tzinfo=UTC)
                changes.append((instant, offset_to))
    return sorted(changes)


@pytest.mark.parametrize("year", [2024, 2026, 2027, 2031, 2038])
def test_vtimezone_changes_at_the_instants_rome_changes(db, year):
    edition = CourseEditionFactory(sessions=1)
    body = calendar_bytes(listed(edition), context=context())
    expected = rome_changes(year)
    assert [instant.hour for instant, _ in expected] == [1, 1]  # 01:00 UTC
    assert vtimezone_changes(body, year) == expected


def test_vtimezone_observances_start_at_the_local_time_before_the_change(db):
    edition = CourseEditionFactory(sessions=1)
    (vtimezone,) = Calendar.from_ical(
        calendar_bytes(listed(edition), context=context())
    ).walk("VTIMEZONE")
    (daylight,) = vtimezone.walk("DAYLIGHT")
    (standard,) = vtimezone.walk("STANDARD")
    assert daylight["DTSTART"].dt.time() == dt.time(2)
    assert standard["DTSTART"].dt.time() == dt.time(3)
    assert daylight["RRULE"]["BYMONTH"] == [3]
    assert standard["RRULE"]["BYMONTH"] == [10]
    assert daylight["RRULE"]["BYDAY"] == standard["RRULE"]["BYDAY"] == ["-1SU"]
    assert (daylight["TZOFFSETFROM"].td, daylight["TZOFFSETTO"].td) == (
        dt.timedelta(hours=1),
        dt.timedelta(hours=2),
    )
    assert (standard["TZOFFSETFROM"].td, standard["TZOFFSETTO"].td) == (
        dt.timedelta(hours=2),
        dt.timedelta(hours=1),
    )


# Finding 20: a cancelled session is named in the feed's language.


@pytest.fixture
def italian_cancelled(monkeypatch):
    """The Italian catalogue as the lead will compile it: the msgid of the
    cancelled-session prefix (with its context) translated."""
    italian = trans_real.translation("it")
    key = "calendar event of a cancelled session\x04[CANCELLED]"
    gettext = italian.gettext
    monkeypatch.setattr(
        italian,
        "gettext",
        lambda message: "[ANNULLATA]" if message == key else gettext(message),
    )


@pytest.mark.parametrize(
    ("language", "word", "other"),
    [("it", "[ANNULLATA]", "[CANCELLED]"), ("en", "[CANCELLED]", "[ANNULLATA]")],
)
def test_cancelled_session_is_named_in_the_feed_language(
    db, italian_cancelled, language, word, other
):
    edition = CourseEditionFactory(sessions=1)
    edition.status = EditionStatus.CANCELLED
    edition.save()
    # The request's language is the other one: the feed's own must win.
    active = "en" if language == "it" else "it"
    with translation.override(active):
        body = calendar_bytes(listed(edition), context=context(language=language))
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith(word + " ")
    assert other not in body.decode()
