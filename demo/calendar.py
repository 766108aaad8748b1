"""The calendar feeds' demo (demo/data/calendar.yaml): an edition in progress
with sessions in the past, today and to come, one cancelled and one moved.

The trainee's seat is taken through the enrolment service while every session is
still ahead (nobody enrols in a started edition); then the sessions are set to
their planned days, and the school cancels one and moves another through
Session.save(), as the edition editor does, so their SEQUENCE grows.
"""

import datetime as dt
import logging
from collections import Counter
from zoneinfo import ZoneInfo

from django.utils import timezone

from courses.models import CourseEdition, CoursePage, EditionStatus, Session, Venue
from enrolment.exceptions import EnrolmentError
from enrolment.services import enrolment_create
from people.models import User

from .data import data

logger = logging.getLogger(__name__)
ROME = ZoneInfo("Europe/Rome")
# Where the sessions wait while the seat is taken: far enough to clash with
# nothing else of the demo.
PARKED_DAYS = 400


def _at(today: dt.date, days: int, hour: int) -> dt.datetime:
    """`days` school days (Monday to Friday) from today, at `hour` in Rome."""
    day, step = today, (1 if days > 0 else -1)
    for _ in range(abs(days)):
        day += dt.timedelta(days=step)
        while day.weekday() >= 5:
            day += dt.timedelta(days=step)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ROME)


def load_calendar(
    *,
    courses: dict[str, CoursePage],
    venues: dict[str, Venue],
    users: dict[str, User],
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
    edition = CourseEdition(
        course=course,
        code=f"{spec['course']}-{today.year}-{spec['code_suffix']}",
        status=EditionStatus.OPEN,
        capacity=spec["capacity"],
        enrolment_opens_at=now - dt.timedelta(days=30),
        enrolment_closes_at=now + dt.timedelta(days=1),
        venue=venues[spec["venue"]],
        notes=spec["notes"],
    )
    edition.instructors = [instructor]
    edition.full_clean()
    edition.save()
    created["editions"] += 1
    sessions = []
    for order, item in enumerate(plan["sessions"]):
        start = _at(today, item["days"] + PARKED_DAYS, item["hour"])
        sessions.append(
            Session.objects.create(
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
    try:
        enrolment_create(trainee=users[spec["trainee"]], edition=edition)
    except EnrolmentError as error:
        # As for the other demo enrolments: a step the services refuse is left
        # out; the instructor's feed still shows the edition.
        logger.warning("Demo calendar enrolment left out: %s", error)
    else:
        created["calendar enrolments"] += 1
    for session, item in zip(sessions, plan["sessions"], strict=True):
        # The planned days: an update, not a revision subscribers ever saw.
        start = _at(today, item["days"], item["hour"])
        Session.objects.filter(pk=session.pk).update(
            start=start, end=start + dt.timedelta(hours=item["hours"])
        )
        session.refresh_from_db()
        if item.get("cancelled"):
            session.cancelled = True
            session.save()
        if "moved_to" in item:
            moved = _at(today, item["moved_to"]["days"], item["moved_to"]["hour"])
            session.start, session.end = moved, moved + (session.end - session.start)
            session.save()
    CourseEdition.objects.filter(pk=edition.pk).update(status=EditionStatus.IN_PROGRESS)
    return edition
