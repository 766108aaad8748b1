"""Demo registers (demo/data/attendance.yaml): docente's edition running now,
with a session today whose register is open (a self check-in in it awaiting
docente's confirmation) and earlier sessions marked; and two
more trainees of the completed AM-101/1 (one who missed a mandatory session).
Both editions' past registers are complete for an audit (demo/registers.py).

Idempotent: an edition, enrolment, record or assessment that exists is kept.
"""

import datetime as dt
from collections import Counter

from django.utils import timezone

from attendance.models import Assessment, AttendanceRecord, AttendanceSource
from courses.models import CourseEdition, EditionStatus, Venue
from courses.services import session_create
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import CompanyMember, User

from .data import data
from .registers import registers_complete
from .timetable import AFTERNOON, MORNING, Slot, Timetable, school_day


def _live_times(
    *, timetable: Timetable, who: list[int], now: dt.datetime, days: list[int]
) -> dict[int, Slot]:
    """The live edition's sessions, `days` calendar days from today, on school
        days in half days docente is free. Day 0 is the demo's school day (today,
        or the last school day before it): the half day under way, else the next
        one, else the last one, so its register is open at the load (docente's
    other demo sessions permitting). The others
        keep their order, each on a school day of its own."""
    today = timezone.localdate(now)
    anchor = school_day(today, step=-1)
    early = anchor == today and timezone.localtime(now).time() < MORNING[1]
    slots = {
        0: timetable.first_free(
            who,
            day=anchor,
            halves=(MORNING, AFTERNOON) if early else (AFTERNOON, MORNING),
            step=-1,
        )
    }
    bound = slots[0][0].date()
    for days_ago in sorted((d for d in days if d < 0), reverse=True):
        day = min(today + dt.timedelta(days=days_ago), bound - dt.timedelta(days=1))
        slots[days_ago] = timetable.first_free(who, day=day, step=-1)
        bound = slots[days_ago][0].date()
    bound = slots[0][0].date()
    for days_on in sorted(d for d in days if d > 0):
        day = max(today + dt.timedelta(days=days_on), bound + dt.timedelta(days=1))
        slots[days_on] = timetable.first_free(who, day=day)
        bound = slots[days_on][0].date()
    return {d: slots[d] for d in days}


def _confirmed(
    *, trainee: User, edition: CourseEdition, created: Counter, sponsor=None
):
    """`sponsor`: the company manager who enrolled the trainee, if any."""
    member = (
        CompanyMember.objects.filter(user=sponsor).select_related("company").first()
        if sponsor
        else None
    )
    enrolment, made = Enrolment.objects.get_or_create(
        trainee=trainee,
        edition=edition,
        status=EnrolmentStatus.CONFIRMED,
        defaults={
            "sponsored_by": sponsor,
            "sponsor_company": member.company if member else None,
        },
    )
    created["register enrolments"] += made
    return enrolment


def _times(*, session, status: str, minutes: int, extra: dict) -> dict:
    """Entry and exit as the register stores them (issue 26): a check-in's
    entry at the start; present the session's times; late the last minutes."""
    if extra:
        return {"entered_at": session.start}
    if status == "present":
        return {"entered_at": session.start, "exited_at": session.end}
    if status == "late":
        return {
            "entered_at": session.end - dt.timedelta(minutes=minutes),
            "exited_at": session.end,
        }
    return {}


def _record(*, enrolment, session, status: str, by, created: Counter) -> None:
    minutes = session.duration_minutes
    extra = {}
    if status == "check_in":
        # A self check-in from the trainee's phone at the start, awaiting the
        # instructor's confirmation (attendance.services).
        status, by = "present", enrolment.trainee
        extra = {
            "source": AttendanceSource.CHECK_IN,
            "check_in_device": f"demo-phone-{enrolment.trainee_id}",
        }
    elif status.startswith("late:"):
        status, minutes = "late", int(status.split(":")[1])
    elif status in ("absent", "excused"):
        minutes = 0
    extra.update(_times(session=session, status=status, minutes=minutes, extra=extra))
    _, made = AttendanceRecord.objects.get_or_create(
        enrolment=enrolment,
        session=session,
        defaults={
            "status": status,
            "minutes_present": minutes,
            "recorded_by": by,
            "recorded_at": min(session.start if extra else session.end, timezone.now()),
            **extra,
        },
    )
    created["attendance records"] += made


def _live_edition_create(
    *, spec, users, editions, venues, timetable, now, created
) -> CourseEdition:
    """The running edition and its sessions, at times free in the timetable."""
    # The Italian page (the course's editions hang on it, not its translation).
    course = editions[spec["course_of"]].course
    teacher = users[spec["instructors"][0]]
    times = _live_times(
        timetable=timetable,
        who=[teacher.pk],
        now=now,
        days=spec["days_from_today"],
    )
    first = min(start for start, _ in times.values())
    edition = CourseEdition(
        course=course,
        code=spec["code"],
        status=EditionStatus.IN_PROGRESS,
        capacity=spec["capacity"],
        enrolment_opens_at=first - dt.timedelta(days=45),
        enrolment_closes_at=first - dt.timedelta(days=3),
        venue=venues[spec["venue"]],
    )
    edition.instructors = [users[key] for key in spec["instructors"]]
    edition.full_clean()
    edition.save()
    created["editions"] += 1
    for order, days in enumerate(spec["days_from_today"]):
        start, end = times[days]
        session_create(
            edition=edition,
            start=start,
            end=end,
            room="Aula 2",
            topic=f"Laboratorio {order + 1}",
            topic_en=f"Lab {order + 1}",
            instructor=teacher,
            mandatory=days in spec["mandatory"],
            sort_order=order,
        )
        created["sessions"] += 1
    return edition


def _load_live(*, spec, users, editions, venues, timetable, now, created) -> None:
    edition = CourseEdition.objects.filter(code=spec["code"]).first()
    if edition is None:
        edition = _live_edition_create(
            spec=spec,
            users=users,
            editions=editions,
            venues=venues,
            timetable=timetable,
            now=now,
            created=created,
        )
    sessions = list(edition.sessions.order_by("start"))
    by_day = dict(zip(spec["days_from_today"], sessions, strict=False))
    sponsored = spec.get("sponsored", {})
    enrolments = {
        key: _confirmed(
            trainee=users[key],
            edition=edition,
            created=created,
            sponsor=users[sponsored[key]] if key in sponsored else None,
        )
        for key in spec["trainees"]
    }
    CourseEdition.objects.filter(pk=edition.pk).update(seats_taken=len(enrolments))
    teacher = users[spec["instructors"][0]]
    for day, marks in spec["marks"].items():
        for key, status in marks.items():
            _record(
                enrolment=enrolments[key],
                session=by_day[int(day)],
                status=status,
                by=teacher,
                created=created,
            )


def _load_completed(*, spec, users, editions, created) -> None:
    edition = editions[spec["edition"]]
    sessions = [s for s in edition.sessions.order_by("start") if not s.cancelled]
    competencies = list(edition.course.competencies.all())
    teacher = edition.instructors.first()
    for key, plan in spec["trainees"].items():
        enrolment = _confirmed(trainee=users[key], edition=edition, created=created)
        for number, session in enumerate(sessions):
            status = "present"
            if plan.get("missed") == "last" and number == len(sessions) - 1:
                status = "absent"
            elif plan.get("late") == number:
                status = f"late:{session.duration_minutes * 3 // 4}"
            _record(
                enrolment=enrolment,
                session=session,
                status=status,
                by=teacher,
                created=created,
            )
        for competency in competencies:
            _, made = Assessment.objects.get_or_create(
                enrolment=enrolment,
                competency=competency,
                defaults={
                    "achieved": plan["achieved"],
                    "assessed_by": teacher,
                    "assessed_at": sessions[-1].end if sessions else timezone.now(),
                },
            )
            created["assessments"] += made


def load_attendance(
    *,
    users: dict[str, User],
    editions: dict[str, CourseEdition],
    venues: dict[str, Venue],
    timetable: Timetable,
    now: dt.datetime,
    created: Counter,
) -> None:
    spec = data("attendance")
    _load_live(
        spec=spec["live"],
        users=users,
        editions=editions,
        venues=venues,
        timetable=timetable,
        now=now,
        created=created,
    )
    _load_completed(
        spec=spec["completed"], users=users, editions=editions, created=created
    )
    registers_complete(
        spec=spec["registers"],
        users=users,
        editions=[
            CourseEdition.objects.get(code=spec["live"]["code"]),
            editions[spec["completed"]["edition"]],
        ],
        created=created,
    )
