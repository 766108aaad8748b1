"""courses.calendar_lines writes a VEVENT directly (issue 22: a cold
1,000-session feed spent most of its time in icalendar); its bytes must be
icalendar's own for the same event, whatever the text holds."""

import dataclasses
import datetime as dt
import itertools

import pytest

from courses.calendar import ROME, EventData, _event_bytes, event_component

BASE = EventData(
    uid="5b0c@makers-school.example",
    sequence=2,
    stamp=dt.datetime(2027, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
    start=dt.datetime(2027, 3, 20, 9, 0, tzinfo=ROME),
    end=dt.datetime(2027, 3, 20, 13, 0, 30, 1234, tzinfo=ROME),
    summary="Stampa 3D, avanzata; modulo 1",
    location="MTC, Aula 2, Corso Settembrini 178, 10135 Torino",
    description="Docenti: Mario Rossi\nPortare: pc; cavi\nEdizione: X",
    url="https://makers-school.example/corsi/stampa-3d/",
    cancelled=False,
    reminder="Domani: Stampa 3D",
)
TEXTS = [
    "Corso: " + "è" * 40,  # folded inside multi-byte characters
    "x" * 64,  # the line just under 75 octets ("SUMMARY:" + 64 + ...)
    "y" * 67,  # just over
    "z" * 200 + ";,\\",
    "a\\" + "b" * 80,
    "a" * 64 + "\\;",  # an escape at the fold
    "Riga uno\r\nRiga due\\N tre",
]


@pytest.mark.parametrize(
    ("cancelled", "url", "text"),
    list(itertools.product([False, True], ["", BASE.url], TEXTS)),
)
def test_direct_lines_are_icalendars_bytes(cancelled, url, text):
    _event_bytes.cache_clear()
    data = dataclasses.replace(
        BASE,
        cancelled=cancelled,
        url=url,
        summary=text,
        description=f"{text}\n{BASE.description}",
        location=text,
        reminder=f"Domani: {text}",
    )
    assert _event_bytes(data) == event_component(data).to_ical()


def test_summer_and_winter_times_keep_their_wall_clock():
    for start in (
        dt.datetime(2027, 7, 1, 18, 30, tzinfo=ROME),
        dt.datetime(2027, 12, 1, 8, 0, tzinfo=ROME),
    ):
        data = dataclasses.replace(BASE, start=start, end=start + dt.timedelta(hours=2))
        assert _event_bytes(data) == event_component(data).to_ical()
