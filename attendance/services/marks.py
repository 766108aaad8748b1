"""Marks in a register: the instructor's one tap, "all present", and the staff's
correction of a register, locked or not.

Who may write: the session's instructor or one of its edition's instructors,
and the school's staff (the attendance.change_attendancerecord permission). A
register locks MAKERS_REGISTER_LOCK_HOURS after its session ends, or when closed;
then only staff change it, with a reason. Each write is audited
(makers.attendance.*, core.audit); refusals raise AttendanceError and store
nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from courses.models import Session
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import User

from ..exceptions import refuse_attendance
from ..models import (
    MISSED_STATUSES,
    AttendanceRecord,
    AttendanceSource,
    AttendanceStatus,
)
from ..selectors import register_is_locked, user_is_register_staff
from ._base import (
    ACTION_CORRECT,
    ACTION_MARK,
    Times,
    authorise,
    enrolment_check,
    lock_date,
    minutes_default,
    minutes_valid,
    record_store,
    register_closed_at,
    times_valid,
)


def _mark_check(
    *, session: Session, enrolment: Enrolment, status: str, now: datetime.datetime
) -> None:
    """A mark (or a correction) of a known status, in a session held, of a
    confirmed trainee of the edition, once the session has started (an excused
    absence may be recorded in advance)."""
    if status not in AttendanceStatus.values:
        raise refuse_attendance("bad_status")
    if session.cancelled:
        raise refuse_attendance("session_cancelled")
    enrolment_check(enrolment=enrolment, session=session)
    if now < session.start and status != AttendanceStatus.EXCUSED:
        raise refuse_attendance("not_started")


def _minutes(
    *,
    session: Session,
    status: str,
    given: int | str | None,
    now: datetime.datetime,
    times: tuple = (None, None),
) -> tuple[int, Times]:
    """The minutes and times a mark stores: typed times decide the minutes
    (their overlap with the session); else the minutes typed, or what the
    status means when none were, and the times they imply."""
    times = tuple(None if value in (None, "") else value for value in times)
    if given in (None, ""):
        given = minutes_default(session=session, status=status, now=now)
    if times != (None, None) and status not in MISSED_STATUSES:
        # Typed times override typed minutes; the status's own check of the
        # minutes does not apply (a trainee "present" may come in at 09:05).
        given = minutes_default(session=session, status=status, now=now)
    else:
        given = minutes_valid(session=session, status=status, minutes=given)
    minutes, entered, exited = times_valid(
        session=session, status=status, entered=times[0], exited=times[1], minutes=given
    )
    return minutes, (entered, exited)


@transaction.atomic
def attendance_mark(
    *,
    session: Session,
    enrolment: Enrolment,
    status: str,
    actor: User,
    minutes_present: int | str | None = None,
    entered_at=None,
    exited_at=None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> AttendanceRecord:
    """Record one trainee's attendance at a session (the register's one tap),
    with optional entry and exit (datetimes or "HH:MM"; see _minutes()).

    Only a confirmed trainee of the edition, only once the session has started
    (an excused absence may be recorded in advance), never in a cancelled
    session, minutes between 1 and the session's length for late / left early.
    A locked register is refused unless the actor is staff and gives a reason
    (then it is a correction).
    """
    now = now or timezone.now()
    authorise(actor=actor, session=session)
    _mark_check(session=session, enrolment=enrolment, status=status, now=now)
    closed_at = register_closed_at(session)
    mark = {"session": session, "enrolment": enrolment, "status": status}
    typed = {"entered_at": entered_at, "exited_at": exited_at}
    if register_is_locked(session=session, closed_at=closed_at, now=now):
        if not user_is_register_staff(user=actor):
            raise refuse_attendance("locked", date=lock_date(session, closed_at))
        return attendance_correct(
            **mark, **typed, minutes_present=minutes_present, actor=actor,
            reason=reason, now=now,
        )  # fmt: skip
    minutes, times = _minutes(
        session=session, status=status, given=minutes_present, now=now,
        times=(entered_at, exited_at),
    )  # fmt: skip
    return record_store(
        **mark, minutes=minutes, actor=actor, action=ACTION_MARK,
        source=AttendanceSource.REGISTER, now=now, reason=reason.strip(), times=times,
    )  # fmt: skip


@transaction.atomic
def attendance_correct(
    *,
    session: Session,
    enrolment: Enrolment,
    status: str,
    actor: User,
    reason: str,
    minutes_present: int | str | None = None,
    entered_at=None,
    exited_at=None,
    now: datetime.datetime | None = None,
) -> AttendanceRecord:
    """Staff correct a register, locked or not: always with a reason, audited as
    makers.attendance.correct (with the times and minutes before and after) and
    shown in the register's history."""
    now = now or timezone.now()
    if not user_is_register_staff(user=actor):
        raise refuse_attendance("not_staff")
    reason = (reason or "").strip()
    if not reason:
        raise refuse_attendance("reason_required")
    _mark_check(session=session, enrolment=enrolment, status=status, now=now)
    minutes, times = _minutes(
        session=session,
        status=status,
        given=minutes_present,
        now=now,
        times=(entered_at, exited_at),
    )
    return record_store(
        session=session,
        enrolment=enrolment,
        status=status,
        minutes=minutes,
        actor=actor,
        action=ACTION_CORRECT,
        source=AttendanceSource.STAFF,
        now=now,
        reason=reason,
        times=times,
    )


@transaction.atomic
def attendance_all_present(
    *, session: Session, actor: User, now: datetime.datetime | None = None
) -> int:
    """Mark present every confirmed trainee not marked yet ("all present", then
    the exceptions). Returns how many were marked."""
    now = now or timezone.now()
    authorise(actor=actor, session=session)
    if session.cancelled:
        raise refuse_attendance("session_cancelled")
    if now < session.start:
        raise refuse_attendance("not_started")
    closed_at = register_closed_at(session)
    if register_is_locked(session=session, closed_at=closed_at, now=now):
        raise refuse_attendance("locked", date=lock_date(session, closed_at))
    unmarked = (
        Enrolment.objects.filter(
            edition_id=session.edition_id, status=EnrolmentStatus.CONFIRMED
        )
        .exclude(attendance_records__session=session)
        .select_related("trainee")
    )
    marked = 0
    for enrolment in unmarked:
        record_store(
            session=session,
            enrolment=enrolment,
            status=AttendanceStatus.PRESENT,
            minutes=session.duration_minutes,
            actor=actor,
            action=ACTION_MARK,
            source=AttendanceSource.REGISTER,
            now=now,
            times=(session.start, session.end),
        )
        marked += 1
    return marked
