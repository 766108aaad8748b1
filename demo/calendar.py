"""The calendar feeds' demo (demo/data/calendar.yaml): an edition in progress
with sessions in the past, today and to come, one cancelled and one moved.

The trainee's seat is taken through the enrolment service while every session is
still ahead (nobody enrols in a started edition); then the sessions are set to
their planned days (school days, in a half day docente is free: demo/timetable),
and the school cancels one and moves another (courses.services.session_move),
as the edition editor does, so their SEQUENCE grows.
"""

import datetime as dt
import logging
from collections import Counter

from django.utils import timezone

from courses.models import CourseEdition, CoursePage, EditionStatus, Session, Venue
from courses.services import (
    session_create,
    session_move,
    sessions_instructors_check,
)
from enrolment.exceptions import EnrolmentError
from enrolment.services import enrolment_create
from people.models import User

from .data import data
from .timetable import (
    AFTERNOON,
    MORNING,
    ROME,
    Timetable,
    school_day,
    school_days_from,
)

logger = logging.getLogger(__name__)
# Where the sessions wait while the seat is taken: far enough to clash with
# nothing else of the demo.
PARKED_DAYS = 400


def _halves(hour: int) -> tuple:
    """The half day the plan asks for first, then the other one."""
    return (MORNING, AFTERNOON) if hour < 13 else (AFTERNOON, MORNING)


def _planned(
    timetable: Timetable, who: list[int], today: dt.date, days: int, hour: int
) -> tuple[dt.datetime, dt.datetime]:
    """`days` school days from the demo's school day (today, or the last one
    before a weekend or holiday), in the half day asked for if docente is free
    then; else the other half, else the next school day (away from today)."""
    day = school_days_from(school_day(today, step=-1), days)
    return timetable.first_free(
        who, day=day, halves=_halves(hour), step=-1 if days < 0 else 1
    )


def load_calendar(
    *,
    courses: dict[str, CoursePage],
    venues: dict[str, Venue],
    users: dict[str, User],
    timetable: Timetable,
    now: dt.datetime,
    created: Counter,
) -> CourseEdition:
    """Create the calendar demo edition once; a later load finds it and stops."""
    plan = data("calendar")
    spec = plan["edition"]
    course = courses[spec["course"]]
    existing = CourseEdition.objects.filter(
        course=course,
        code__regex=rf"^{spec['course']}-[0-9]{{4}}-{spec['code_suffix']}$",
    ).first()
    if existing is not None:
        return existing
    today = timezone.localdate(now)
    instructor = users[spec["instructor"]]
    edition = _edition(spec=spec, course=course, venues=venues, now=now)
    edition.instructors = [instructor]
    edition.full_clean()
    edition.save()
    created["editions"] += 1
    sessions = _parked_sessions(
        edition=edition, plan=plan, instructor=instructor, today=today, created=created
    )
    _enrol(trainee=users[spec["trainee"]], edition=edition, created=created)
    _to_planned_days(
        edition=edition,
        sessions=sessions,
        plan=plan,
        timetable=timetable,
        who=[instructor.pk],
        today=today,
    )
    CourseEdition.objects.filter(pk=edition.pk).update(status=EditionStatus.IN_PROGRESS)
    return edition


def _edition(
    *, spec: dict, course: CoursePage, venues: dict[str, Venue], now: dt.datetime
) -> CourseEdition:
    """The open edition, its window around the load (not saved yet)."""
    return CourseEdition(
        course=course,
        code=f"{spec['course']}-{timezone.localdate(now).year}-{spec['code_suffix']}",
        status=EditionStatus.OPEN,
        capacity=spec["capacity"],
        enrolment_opens_at=now - dt.timedelta(days=30),
        enrolment_closes_at=now + dt.timedelta(days=1),
        venue=venues[spec["venue"]],
        notes=spec["notes"],
    )


def _parked_sessions(
    *,
    edition: CourseEdition,
    plan: dict,
    instructor: User,
    today: dt.date,
    created: Counter,
) -> list[Session]:
    """The plan's sessions on consecutive days far ahead (PARKED_DAYS)."""
    sessions = []
    parked = school_days_from(today, PARKED_DAYS)
    for order, item in enumerate(plan["sessions"]):
        start = dt.datetime.combine(
            parked + dt.timedelta(days=order), dt.time(item["hour"]), tzinfo=ROME
        )
        sessions.append(
            session_create(
                edition=edition,
                start=start,
                end=start + dt.timedelta(hours=item["hours"]),
                room=item["room"],
                topic=item["topic"],
                topic_en=item["topic_en"],
                instructor=instructor,
                mandatory=order in (0, len(plan["sessions"]) - 1),
                sort_order=order,
            )
        )
        created["sessions"] += 1
    return sessions


def _enrol(*, trainee: User, edition: CourseEdition, created: Counter) -> None:
    """The trainee's seat, through the enrolment service."""
    try:
        enrolment_create(trainee=trainee, edition=edition)
    except EnrolmentError as error:
        # As for the other demo enrolments: a step the services refuse is left
        # out; the instructor's feed still shows the edition.
        logger.warning("Demo calendar enrolment left out: %s", error)
    else:
        created["calendar enrolments"] += 1


def _to_planned_days(
    *,
    edition: CourseEdition,
    sessions: list[Session],
    plan: dict,
    timetable: Timetable,
    who: list[int],
    today: dt.date,
) -> None:
    """Move the parked sessions to their planned days, then cancel and move the
    ones the plan says, as the edition editor does."""
    for session, item in zip(sessions, plan["sessions"], strict=True):
        session.start, session.end = _planned(
            timetable, who, today, item["days"], item["hour"]
        )
    sessions_instructors_check(edition=edition, sessions=sessions)
    for session in sessions:
        # The planned days: an update, not a revision subscribers ever saw.
        Session.objects.filter(pk=session.pk).update(
            start=session.start, end=session.end
        )
    for session, item in zip(sessions, plan["sessions"], strict=True):
        session.refresh_from_db()
        if item.get("cancelled"):
            session.cancelled = True
            session.save()
        if "moved_to" in item:
            moved = item["moved_to"]
            start, end = _planned(timetable, who, today, moved["days"], moved["hour"])
            session_move(session=session, start=start, end=end)
