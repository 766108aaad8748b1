"""Finding 17: the demo looks like a real school's week whatever the day it is
loaded: sessions on school days (Monday to Friday, no Italian public holiday,
nor Turin's patron saint) in school hours, no instructor in two sessions at
once; and the registers' and the calendar's demo editions still have sessions
before, on and after the demo's school day."""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.holidays import italian_public_holidays
from courses.models import EditionStatus, Session
from demo.data import data
from demo.loader import demo_load
from demo.timetable import is_school_day, school_day

ROME = ZoneInfo("Europe/Rome")
SCHOOL_HOURS = {(dt.time(9), dt.time(13)), (dt.time(14), dt.time(18))}

pytestmark = pytest.mark.django_db


def test_italian_public_holidays():
    assert italian_public_holidays(2027) == {
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 6),
        dt.date(2027, 3, 29),  # Easter Monday (Easter: 28 March)
        dt.date(2027, 4, 25),
        dt.date(2027, 5, 1),
        dt.date(2027, 6, 2),
        dt.date(2027, 8, 15),
        dt.date(2027, 11, 1),
        dt.date(2027, 12, 8),
        dt.date(2027, 12, 25),
        dt.date(2027, 12, 26),
    }
    assert dt.date(2026, 4, 6) in italian_public_holidays(2026)  # Easter Monday
    assert not is_school_day(dt.date(2026, 6, 24))  # San Giovanni, Turin
    assert school_day(dt.date(2026, 12, 25)) == dt.date(2026, 12, 28)
    assert school_day(dt.date(2026, 12, 27), step=-1) == dt.date(2026, 12, 24)


def teachers(session: Session) -> list[int]:
    if session.instructor_id:
        return [session.instructor_id]
    return [user.pk for user in session.edition.instructors.all()]


@pytest.mark.parametrize(
    "now",
    [
        # Boxing Day, a Saturday, between Christmas and a Sunday.
        dt.datetime(2026, 12, 26, 10, 0, tzinfo=ROME),
        # Easter Monday 2027, the day after the clocks went forward.
        dt.datetime(2027, 3, 29, 8, 0, tzinfo=ROME),
        # Late on a Monday, before Republic Day.
        dt.datetime(2026, 6, 1, 22, 30, tzinfo=ROME),
    ],
    ids=["boxing-day", "easter-monday", "monday-night"],
)
def test_the_demo_week_is_a_school_week(now):
    with time_machine.travel(now, tick=False):
        demo_load(now=now)
    sessions = list(
        Session.objects.select_related("edition").prefetch_related(
            "edition__instructors"
        )
    )
    assert sessions
    busy = defaultdict(list)
    for session in sessions:
        start, end = session.start.astimezone(ROME), session.end.astimezone(ROME)
        assert start.date() == end.date(), session
        assert is_school_day(start.date()), (session, start)
        assert (start.time(), end.time()) in SCHOOL_HOURS, (session, start, end)
        if session.cancelled or session.edition.status == EditionStatus.CANCELLED:
            continue
        for teacher in teachers(session):
            busy[teacher].append((session.start, session.end, session))
    for teacher, slots in busy.items():
        slots.sort(key=lambda slot: slot[0])
        for (_, end, first), (start, _, second) in zip(slots, slots[1:], strict=False):
            assert end <= start, (teacher, first, second)

    # The demo's school day: today, or the last school day before it.
    day = school_day(now.date(), step=-1)
    calendar = data("calendar")["edition"]
    live = data("attendance")["live"]["code"]
    for edition_filter in (
        {"edition__code__endswith": "-" + calendar["code_suffix"]},
        {"edition__code": live},
    ):
        days = {
            s.start.astimezone(ROME).date()
            for s in Session.objects.filter(**edition_filter)
        }
        assert min(days) < day and day in days and max(days) > day, edition_filter
