"""What every register write shares: who may write, what minutes a status
holds, when the register locked, and storing one audited record."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import dates
from core.audit import audit_log
from courses.models import Session
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import User

from ..exceptions import refuse_attendance
from ..models import (
    MISSED_STATUSES,
    AttendanceRecord,
    AttendanceStatus,
    SessionRegister,
)
from ..selectors import (
    register_locks_at,
    user_is_register_staff,
    user_teaches_session,
)

ACTION_MARK = "makers.attendance.mark"
ACTION_CHECK_IN = "makers.attendance.check_in"
ACTION_CORRECT = "makers.attendance.correct"
ACTION_CLOSE = "makers.attendance.close"
ACTION_CONFIRM = "makers.attendance.confirm"
ACTION_DETAILS = "makers.attendance.details"
ACTION_SCAN = "makers.attendance.scan"

Times = tuple[datetime.datetime | None, datetime.datetime | None]


def minutes_between(start: datetime.datetime, end: datetime.datetime) -> int:
    return max(int((end - start).total_seconds() // 60), 0)


def minutes_default(
    *, session: Session, status: str, now: datetime.datetime | None = None
) -> int:
    """What a status means in minutes when the instructor types none: the whole
    session, nothing, or (late / left early) the minutes after / before now while
    the session runs, else three quarters of it."""
    now = now or timezone.now()
    length = session.duration_minutes
    if status == AttendanceStatus.PRESENT:
        return length
    if status in MISSED_STATUSES:
        return 0
    running = session.start < now < session.end
    if status == AttendanceStatus.LATE and running:
        return max(minutes_between(now, session.end), 1)
    if status == AttendanceStatus.LEFT_EARLY and running:
        return max(minutes_between(session.start, now), 1)
    return max(length * 3 // 4, 1)


def minutes_valid(*, session: Session, status: str, minutes) -> int:
    """The minutes a record of `status` stores; refuses what does not fit."""
    length = session.duration_minutes
    if status in MISSED_STATUSES:
        return 0
    if status == AttendanceStatus.PRESENT:
        return length
    try:
        value = int(minutes)
    except (TypeError, ValueError):
        raise refuse_attendance("bad_minutes", low=1, high=length) from None
    if not 1 <= value <= length or str(minutes).strip() != str(value):
        raise refuse_attendance("bad_minutes", low=1, high=length)
    return value


def minutes_overlap(
    *, session: Session, entered: datetime.datetime, exited: datetime.datetime
) -> int:
    """Whole minutes between entry and exit, clipped to the session: the one
    rule that turns times into minutes present (and hours attended)."""
    return minutes_between(max(entered, session.start), min(exited, session.end))


def times_default(*, session: Session, status: str, minutes: int) -> Times:
    """The entry and exit a mark implies when the instructor types none: the
    session's times for present, the last `minutes` for late, the first for
    left early; none for an absence."""
    delta = datetime.timedelta(minutes=minutes)
    if status == AttendanceStatus.PRESENT:
        return session.start, session.end
    if status == AttendanceStatus.LATE:
        return session.end - delta, session.end
    if status == AttendanceStatus.LEFT_EARLY:
        return session.start, session.start + delta
    return None, None


def time_on_session_day(*, session: Session, value) -> datetime.datetime | None:
    """A typed time ("HH:MM", the session's day in Rome) or a datetime as an
    aware datetime; "" or None is None. Refuses anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, datetime.time):
        try:
            value = datetime.time.fromisoformat(str(value).strip())
        except ValueError:
            raise refuse_attendance("bad_time") from None
    day = timezone.localdate(session.start)
    return timezone.make_aware(
        datetime.datetime.combine(day, value.replace(second=0, microsecond=0))
    )


def times_valid(
    *, session: Session, status: str, entered, exited, minutes: int
) -> tuple[int, datetime.datetime | None, datetime.datetime | None]:
    """(minutes, entry, exit) a record stores. Typed times are the truth: the
    minutes are their overlap with the session; a missing one is the session's
    start or end. Without times, the status's minutes imply them."""
    if status in MISSED_STATUSES:
        return 0, None, None
    entered = time_on_session_day(session=session, value=entered)
    exited = time_on_session_day(session=session, value=exited)
    if entered is None and exited is None:
        return (
            minutes,
            *times_default(session=session, status=status, minutes=minutes),
        )
    entered, exited = entered or session.start, exited or session.end
    if exited <= entered:
        raise refuse_attendance("exit_before_entry")
    overlap = minutes_overlap(session=session, entered=entered, exited=exited)
    if overlap < 1:
        raise refuse_attendance(
            "times_outside",
            start=f"{timezone.localtime(session.start):%H:%M}",
            end=f"{timezone.localtime(session.end):%H:%M}",
        )
    return overlap, entered, exited


def register_closed_at(session: Session) -> datetime.datetime | None:
    if hasattr(session, "register_closed_at"):
        return session.register_closed_at
    register = SessionRegister.objects.filter(session=session).first()
    return register.closed_at if register else None


def lock_date(session: Session, closed_at) -> str:
    return dates.date_format(
        timezone.localtime(register_locks_at(session=session, closed_at=closed_at)),
        "DATETIME_FORMAT",
    )


def authorise(*, actor: User, session: Session) -> None:
    """The session's instructors, else staff; anyone else is refused (a 403)."""
    if user_teaches_session(user=actor, session=session):
        return
    if not user_is_register_staff(user=actor):
        raise refuse_attendance("not_allowed")


def enrolment_check(*, enrolment: Enrolment, session: Session) -> None:
    if (
        enrolment.edition_id != session.edition_id
        or enrolment.status != EnrolmentStatus.CONFIRMED
    ):
        raise refuse_attendance("not_confirmed", person=enrolment.trainee)


def _record_save(record: AttendanceRecord) -> None:
    """Save a record; a new one that lost a race to another tap is saved over
    the row the other tap created."""
    if record.pk:
        record.save()
        return
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        # Another tap created it a moment ago: this later one wins. Without
        # that row, a check-in from the same device for another trainee
        # won the race (the device's unique constraint).
        earlier = AttendanceRecord.objects.filter(
            enrolment_id=record.enrolment_id, session_id=record.session_id
        ).first()
        if earlier is None:
            raise refuse_attendance("checkin_device_used") from None
        record.pk = earlier.pk
        record.save(force_update=True)


def _iso(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def _record_audit(
    *,
    record: AttendanceRecord,
    old: tuple,
    action: str,
    actor: User | None,
    reason: str,
) -> None:
    """The audit entry of a stored record: what it was and what it is now."""
    audit_log(
        instance=record,
        action=action,
        user=actor,
        data={
            "session": record.session.pk,
            "enrolment": record.enrolment.pk,
            "trainee": str(record.enrolment.trainee),
            "old_status": old[0],
            "old_minutes": old[1],
            "old_entry": _iso(old[2]),
            "old_exit": _iso(old[3]),
            "new_status": record.status,
            "minutes": record.minutes_present,
            "entry": _iso(record.entered_at),
            "exit": _iso(record.exited_at),
            "source": record.source,
            "reason": reason,
        },
    )


def record_store(
    *,
    session: Session,
    enrolment: Enrolment,
    status: str,
    minutes: int,
    actor: User | None,
    action: str,
    source: str,
    now: datetime.datetime,
    reason: str = "",
    nonce: str = "",
    device: str = "",
    times: Times = (None, None),
) -> AttendanceRecord:
    """Write one trainee's record of a session (new or over the old one) and
    its audit entry, with the status, minutes and times it had before."""
    record = (
        AttendanceRecord.objects.select_for_update()
        .filter(enrolment=enrolment, session=session)
        .first()
    )
    old = (
        (record.status, record.minutes_present, record.entered_at, record.exited_at)
        if record
        else ("", 0, None, None)
    )
    if record is None:
        record = AttendanceRecord(enrolment=enrolment, session=session)
    record.enrolment, record.session = enrolment, session
    record.status, record.minutes_present, record.source = status, minutes, source
    record.check_in_nonce, record.check_in_device = nonce, device
    record.entered_at, record.exited_at = times
    # A new mark is a new fact: a self check-in awaits confirmation again, a
    # mark by the instructor or staff needs none.
    record.confirmed_at = record.confirmed_by = None
    record.recorded_by, record.recorded_at = actor, now
    # The related rows were loaded and checked above; the database holds the
    # constraints (unique, minutes and status).
    record.full_clean(
        exclude=["enrolment", "session", "recorded_by"], validate_constraints=False
    )
    _record_save(record)
    _record_audit(record=record, old=old, action=action, actor=actor, reason=reason)
    return record
