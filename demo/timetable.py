"""The demo school's week: when its sessions can be, and who is teaching when.

School days are Monday to Friday, but Italian public holidays and Turin's
patron saint; a session takes a morning (09:00-13:00) or an afternoon
(14:00-18:00). The loaders ask the timetable for the slots of their sessions,
so no instructor is booked twice; the edition services check it again when
each session is saved (courses.services.sessions_instructors_check).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from core.holidays import italian_public_holidays
from courses.models import EditionStatus, Session

ROME = ZoneInfo("Europe/Rome")
MORNING = (dt.time(9), dt.time(13))
AFTERNOON = (dt.time(14), dt.time(18))
HALVES = (MORNING, AFTERNOON)
# Turin's patron saint (San Giovanni): the school is closed.
LOCAL_HOLIDAYS = ((6, 24),)
# How far a session may be pushed to find its instructor free.
MAX_SCHOOL_DAYS = 60

Slot = tuple[dt.datetime, dt.datetime]


def is_school_day(day: dt.date) -> bool:
    local = {dt.date(day.year, month, date) for month, date in LOCAL_HOLIDAYS}
    return (
        day.weekday() < 5
        and day not in italian_public_holidays(day.year)
        and day not in local
    )


def school_day(day: dt.date, *, step: int = 1) -> dt.date:
    """`day` if the school is open then, else the next open day in the
    direction of `step` (1: later, -1: earlier)."""
    while not is_school_day(day):
        day += dt.timedelta(days=step)
    return day


def school_days_from(today: dt.date, count: int) -> dt.date:
    """`count` school days after today (before it, if negative)."""
    day, step = today, (1 if count > 0 else -1)
    for _ in range(abs(count)):
        day = school_day(day + dt.timedelta(days=step), step=step)
    return day


def slot_on(day: dt.date, half: tuple[dt.time, dt.time]) -> Slot:
    start, end = half
    return (
        dt.datetime.combine(day, start, tzinfo=ROME),
        dt.datetime.combine(day, end, tzinfo=ROME),
    )


class Timetable:
    """Who teaches when: the sessions already stored, and those booked since."""

    def __init__(self) -> None:
        self._busy: dict[int, list[Slot]] = defaultdict(list)
        stored = (
            Session.objects.filter(cancelled=False)
            .exclude(edition__status=EditionStatus.CANCELLED)
            .prefetch_related("edition__instructors")
        )
        for session in stored:
            teachers = (
                [session.instructor_id]
                if session.instructor_id
                else [user.pk for user in session.edition.instructors.all()]
            )
            self.book(teachers, (session.start, session.end))

    def is_free(self, instructor_ids: Iterable[int], slot: Slot) -> bool:
        start, end = slot
        return not any(
            other_start < end and start < other_end
            for instructor in instructor_ids
            for other_start, other_end in self._busy[instructor]
        )

    def book(self, instructor_ids: Iterable[int], slot: Slot) -> Slot:
        for instructor in instructor_ids:
            self._busy[instructor].append(slot)
        return slot

    def first_free(
        self,
        instructor_ids: Sequence[int],
        *,
        day: dt.date,
        halves: Sequence[tuple[dt.time, dt.time]] = HALVES,
        step: int = 1,
        after: dt.datetime | None = None,
    ) -> Slot:
        """Book the first slot from `day` on (or back, step -1) whose halves,
        in the order given, find the instructors free (and start after
        `after`, if given)."""
        day = school_day(day, step=step)
        for _ in range(MAX_SCHOOL_DAYS):
            for half in halves:
                slot = slot_on(day, half)
                if after is not None and slot[0] < after:
                    continue
                if self.is_free(instructor_ids, slot):
                    return self.book(instructor_ids, slot)
            day = school_day(day + dt.timedelta(days=step), step=step)
        raise LookupError("No free slot for the demo session.")

    def sessions_from(
        self, teachers: Sequence[Sequence[int]], *, day: dt.date, step: int = 1
    ) -> list[Slot]:
        """Consecutive half days for sessions taught by teachers[i], from the
        first school day at or after `day` (at or before, step -1), each
        later than the one before, skipping the halves its teacher is busy."""
        slots: list[Slot] = []
        first_day = school_day(day, step=step)
        for who in teachers:
            after = slots[-1][1] if slots else None
            slots.append(
                self.first_free(
                    who, day=slots[-1][0].date() if slots else first_day, after=after
                )
            )
        return slots
