"""One VEVENT written straight to iCalendar lines (issue 22): the same bytes as
icalendar's Event(...).to_ical() for courses.calendar.event_component (tests
compare them), a fraction of the time. icalendar builds a property object per
value, re-parses each content line and folds every line character by
character; a 1,000-session feed built cold (a fresh worker, the per-process
event cache empty) spent most of its time there.

Lines come in icalendar's canonical order for an event (SUMMARY, DTSTART,
DTEND, DTSTAMP, UID, SEQUENCE, then the rest by name); text values escaped
and long lines folded by icalendar's own functions, a line under 75 octets
being left as it is (what _foldline does with it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from icalendar.parser.string import _escape_char, _foldline

if TYPE_CHECKING:
    from .calendar import EventData

FOLD_LIMIT = 75  # octets, as icalendar folds


def _line(text: str) -> str:
    if len(text) < FOLD_LIMIT and len(text.encode()) < FOLD_LIMIT:
        return text
    return _foldline(text)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(name: str, value: dt.datetime, tzid: str) -> str:
    return f"{name};TZID={tzid}:{value:%Y%m%dT%H%M%S}"


def event_lines(data: EventData, *, tzid: str, trigger: str) -> bytes:
    """The VEVENT of one session; trigger is the VALARM's TRIGGER value."""
    stamp = _utc(data.stamp)
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + _escape_char(data.summary),
        _local("DTSTART", data.start, tzid),
        _local("DTEND", data.end, tzid),
        "DTSTAMP:" + stamp,
        "UID:" + _escape_char(data.uid),
        f"SEQUENCE:{data.sequence}",
        "DESCRIPTION:" + _escape_char(data.description),
        "LAST-MODIFIED:" + stamp,
        "LOCATION:" + _escape_char(data.location),
        "STATUS:" + ("CANCELLED" if data.cancelled else "CONFIRMED"),
        "TRANSP:" + ("TRANSPARENT" if data.cancelled else "OPAQUE"),
    ]
    if data.url:
        lines.append("URL:" + data.url)
    if not data.cancelled:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:" + _escape_char(data.reminder),
            "TRIGGER:" + trigger,
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return ("\r\n".join(_line(line) for line in lines) + "\r\n").encode()
