"""Every write to registers: a mark, "all present", self check-in (from one
device, awaiting the instructor's confirmation), confirming self check-ins,
closing a register and the staff's correction of a locked one.

Who may write: the session's instructor or one of its edition's instructors,
and the school's staff (the enrolment.change_attendancerecord permission). A
register locks MAKERS_REGISTER_LOCK_HOURS after its session ends, or when closed;
then only staff change it, with a reason. Each write is audited
(makers.attendance.*, core.audit); refusals raise AttendanceError and store
nothing.
"""

from __future__ import annotations

import datetime
import secrets

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import dates
from core.audit import audit_log
from courses.models import Session
from people.models import User

from ..exceptions import refuse_attendance
from ..models import (
    MISSED_STATUSES,
    AttendanceRecord,
    AttendanceSource,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    SessionRegister,
)
from ..selectors_attendance import (
    register_is_locked,
    register_locks_at,
    user_is_register_staff,
    user_teaches_session,
)

ACTION_MARK = "makers.attendance.mark"
ACTION_CHECK_IN = "makers.attendance.check_in"
ACTION_CORRECT = "makers.attendance.correct"
ACTION_CLOSE = "makers.attendance.close"
ACTION_CONFIRM = "makers.attendance.confirm"

# Self check-in: a code is shown for CHECKIN_ROTATE_SECONDS and accepted for
# CHECKIN_MAX_AGE_SECONDS after it was made (a scan just before a change passes).
CHECKIN_ROTATE_SECONDS = 30
CHECKIN_MAX_AGE_SECONDS = 60
# Check-in opens this long before the start; later than CHECKIN_GRACE after the
# start the trainee is marked late, with the minutes left.
CHECKIN_OPENS_BEFORE = datetime.timedelta(minutes=15)
CHECKIN_GRACE = datetime.timedelta(minutes=10)


def _minutes_between(start: datetime.datetime, end: datetime.datetime) -> int:
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
        return max(_minutes_between(now, session.end), 1)
    if status == AttendanceStatus.LEFT_EARLY and running:
        return max(_minutes_between(session.start, now), 1)
    return max(length * 3 // 4, 1)


def _minutes_valid(*, session: Session, status: str, minutes) -> int:
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


def _register_closed_at(session: Session) -> datetime.datetime | None:
    if hasattr(session, "register_closed_at"):
        return session.register_closed_at
    register = SessionRegister.objects.filter(session=session).first()
    return register.closed_at if register else None


def _lock_date(session: Session, closed_at) -> str:
    return dates.date_format(
        timezone.localtime(register_locks_at(session=session, closed_at=closed_at)),
        "DATETIME_FORMAT",
    )


def _authorise(*, actor: User, session: Session) -> None:
    """The session's instructors, else staff; anyone else is refused (a 403)."""
    if user_teaches_session(user=actor, session=session):
        return
    if not user_is_register_staff(user=actor):
        raise refuse_attendance("not_allowed")


def _check_enrolment(*, enrolment: Enrolment, session: Session) -> None:
    if (
        enrolment.edition_id != session.edition_id
        or enrolment.status != EnrolmentStatus.CONFIRMED
    ):
        raise refuse_attendance("not_confirmed", person=enrolment.trainee)


def _store(
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
) -> AttendanceRecord:
    record = (
        AttendanceRecord.objects.select_for_update()
        .filter(enrolment=enrolment, session=session)
        .first()
    )
    old = (record.status, record.minutes_present) if record else ("", 0)
    if record is None:
        record = AttendanceRecord(enrolment=enrolment, session=session)
    record.enrolment, record.session = enrolment, session
    record.status = status
    record.minutes_present = minutes
    record.source = source
    record.check_in_nonce = nonce
    record.check_in_device = device
    # A new mark is a new fact: a self check-in awaits confirmation again, a
    # mark by the instructor or staff needs none.
    record.confirmed_at = record.confirmed_by = None
    record.recorded_by = actor
    record.recorded_at = now
    # The related rows were loaded and checked above; the database holds the
    # constraints (unique, minutes and status).
    record.full_clean(
        exclude=["enrolment", "session", "recorded_by"], validate_constraints=False
    )
    if record.pk:
        record.save()
    else:
        try:
            with transaction.atomic():
                record.save(force_insert=True)
        except IntegrityError:
            # Another tap created it a moment ago: this later one wins. Without
            # that row, a check-in from the same device for another trainee
            # won the race (the device's unique constraint).
            earlier = AttendanceRecord.objects.filter(
                enrolment=enrolment, session=session
            ).first()
            if earlier is None:
                raise refuse_attendance("checkin_device_used") from None
            record.pk = earlier.pk
            record.save(force_update=True)
    audit_log(
        instance=record,
        action=action,
        user=actor,
        data={
            "session": session.pk,
            "enrolment": enrolment.pk,
            "trainee": str(enrolment.trainee),
            "old_status": old[0],
            "old_minutes": old[1],
            "new_status": status,
            "minutes": minutes,
            "source": source,
            "reason": reason,
        },
    )
    return record


@transaction.atomic
def attendance_mark(
    *,
    session: Session,
    enrolment: Enrolment,
    status: str,
    actor: User,
    minutes_present: int | str | None = None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> AttendanceRecord:
    """Record one trainee's attendance at a session (the register's one tap).

    Only a confirmed trainee of the edition, only once the session has started
    (an excused absence may be recorded in advance), never in a cancelled
    session, minutes between 1 and the session's length for late / left early.
    A locked register is refused unless the actor is staff and gives a reason
    (then it is a correction).
    """
    now = now or timezone.now()
    _authorise(actor=actor, session=session)
    if status not in AttendanceStatus.values:
        raise refuse_attendance("bad_status")
    if session.cancelled:
        raise refuse_attendance("session_cancelled")
    _check_enrolment(enrolment=enrolment, session=session)
    if now < session.start and status != AttendanceStatus.EXCUSED:
        raise refuse_attendance("not_started")
    closed_at = _register_closed_at(session)
    if register_is_locked(session=session, closed_at=closed_at, now=now):
        if not user_is_register_staff(user=actor):
            raise refuse_attendance("locked", date=_lock_date(session, closed_at))
        return attendance_correct(
            session=session,
            enrolment=enrolment,
            status=status,
            minutes_present=minutes_present,
            actor=actor,
            reason=reason,
            now=now,
        )
    if minutes_present in (None, ""):
        minutes_present = minutes_default(session=session, status=status, now=now)
    minutes = _minutes_valid(session=session, status=status, minutes=minutes_present)
    return _store(
        session=session,
        enrolment=enrolment,
        status=status,
        minutes=minutes,
        actor=actor,
        action=ACTION_MARK,
        source=AttendanceSource.REGISTER,
        now=now,
        reason=reason.strip(),
    )


@transaction.atomic
def attendance_correct(
    *,
    session: Session,
    enrolment: Enrolment,
    status: str,
    actor: User,
    reason: str,
    minutes_present: int | str | None = None,
    now: datetime.datetime | None = None,
) -> AttendanceRecord:
    """Staff correct a register, locked or not: always with a reason, audited as
    makers.attendance.correct and shown in the register's history."""
    now = now or timezone.now()
    if not user_is_register_staff(user=actor):
        raise refuse_attendance("not_staff")
    reason = (reason or "").strip()
    if not reason:
        raise refuse_attendance("reason_required")
    if status not in AttendanceStatus.values:
        raise refuse_attendance("bad_status")
    if session.cancelled:
        raise refuse_attendance("session_cancelled")
    _check_enrolment(enrolment=enrolment, session=session)
    if now < session.start and status != AttendanceStatus.EXCUSED:
        raise refuse_attendance("not_started")
    if minutes_present in (None, ""):
        minutes_present = minutes_default(session=session, status=status, now=now)
    minutes = _minutes_valid(session=session, status=status, minutes=minutes_present)
    return _store(
        session=session,
        enrolment=enrolment,
        status=status,
        minutes=minutes,
        actor=actor,
        action=ACTION_CORRECT,
        source=AttendanceSource.STAFF,
        now=now,
        reason=reason,
    )


@transaction.atomic
def attendance_all_present(
    *, session: Session, actor: User, now: datetime.datetime | None = None
) -> int:
    """Mark present every confirmed trainee not marked yet ("all present", then
    the exceptions). Returns how many were marked."""
    now = now or timezone.now()
    _authorise(actor=actor, session=session)
    if session.cancelled:
        raise refuse_attendance("session_cancelled")
    if now < session.start:
        raise refuse_attendance("not_started")
    closed_at = _register_closed_at(session)
    if register_is_locked(session=session, closed_at=closed_at, now=now):
        raise refuse_attendance("locked", date=_lock_date(session, closed_at))
    unmarked = (
        Enrolment.objects.filter(
            edition_id=session.edition_id, status=EnrolmentStatus.CONFIRMED
        )
        .exclude(attendance_records__session=session)
        .select_related("trainee")
    )
    marked = 0
    for enrolment in unmarked:
        _store(
            session=session,
            enrolment=enrolment,
            status=AttendanceStatus.PRESENT,
            minutes=session.duration_minutes,
            actor=actor,
            action=ACTION_MARK,
            source=AttendanceSource.REGISTER,
            now=now,
        )
        marked += 1
    return marked


def _names(enrolments) -> str:
    return ", ".join(str(enrolment.trainee) for enrolment in enrolments)


@transaction.atomic
def register_close(
    *,
    session: Session,
    actor: User,
    allow_unmarked: bool = False,
    now: datetime.datetime | None = None,
) -> SessionRegister:
    """The instructor closes the register (locks it now). Only once the session
    has begun, never while a self check-in awaits confirmation, and with
    trainees still unmarked only when the instructor says so (allow_unmarked):
    after closing only staff change it. Closing a closed register changes
    nothing."""
    now = now or timezone.now()
    _authorise(actor=actor, session=session)
    if now < session.start:
        raise refuse_attendance("close_not_started")
    register, _ = SessionRegister.objects.select_for_update().get_or_create(
        session=session
    )
    if register.closed_at or register_is_locked(session=session, now=now):
        return register
    confirmed = Enrolment.objects.filter(
        edition_id=session.edition_id, status=EnrolmentStatus.CONFIRMED
    ).select_related("trainee")
    awaiting = confirmed.filter(
        attendance_records__session=session,
        attendance_records__source=AttendanceSource.CHECK_IN,
        attendance_records__confirmed_at__isnull=True,
    )
    if awaiting:
        raise refuse_attendance("close_unconfirmed", people=_names(awaiting))
    unmarked = confirmed.exclude(attendance_records__session=session)
    if unmarked and not allow_unmarked:
        raise refuse_attendance("close_unmarked", people=_names(unmarked))
    register.closed_at = now
    register.closed_by = actor
    register.full_clean(exclude=["session", "closed_by"])
    register.save()
    audit_log(
        instance=register,
        action=ACTION_CLOSE,
        user=actor,
        data={"session": session.pk},
    )
    return register


@transaction.atomic
def attendance_confirm_check_ins(
    *,
    session: Session,
    actor: User,
    enrolment: Enrolment | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """The instructor confirms the session's self check-ins awaiting it (one
    trainee's, or all): the trainee was seen in the room. Only while the
    register is open; each confirmation is audited. Returns how many."""
    now = now or timezone.now()
    _authorise(actor=actor, session=session)
    closed_at = _register_closed_at(session)
    if register_is_locked(session=session, closed_at=closed_at, now=now):
        raise refuse_attendance("locked", date=_lock_date(session, closed_at))
    awaiting = AttendanceRecord.objects.select_for_update().filter(
        session=session,
        source=AttendanceSource.CHECK_IN,
        confirmed_at__isnull=True,
        enrolment__status=EnrolmentStatus.CONFIRMED,
    )
    if enrolment is not None:
        awaiting = awaiting.filter(enrolment=enrolment)
    records = list(awaiting.select_related("enrolment__trainee", "session"))
    if not records:
        raise refuse_attendance("nothing_to_confirm")
    for record in records:
        record.confirmed_at, record.confirmed_by = now, actor
        record.save(update_fields=["confirmed_at", "confirmed_by"])
        audit_log(
            instance=record,
            action=ACTION_CONFIRM,
            user=actor,
            data={
                "session": session.pk,
                "enrolment": record.enrolment_id,
                "trainee": str(record.enrolment.trainee),
                "new_status": record.status,
                "minutes": record.minutes_present,
                "source": record.source,
            },
        )
    return len(records)


def _checkin_salt(session_id: int) -> str:
    return f"makers.attendance.check_in.{session_id}"


def checkin_token_make(*, session: Session) -> str:
    """A signed, timestamped code for this session's self check-in: accepted for
    CHECKIN_MAX_AGE_SECONDS, for this session only, once per trainee."""
    return signing.dumps(
        {"n": secrets.token_urlsafe(12)},
        salt=_checkin_salt(session.pk),
        compress=False,
    )


def _checkin_nonce(*, session: Session, token: str) -> str:
    try:
        payload = signing.loads(
            token, salt=_checkin_salt(session.pk), max_age=CHECKIN_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired:
        raise refuse_attendance("checkin_expired") from None
    except signing.BadSignature:
        raise refuse_attendance("checkin_invalid") from None
    nonce = payload.get("n") if isinstance(payload, dict) else None
    if not isinstance(nonce, str) or not nonce:
        raise refuse_attendance("checkin_invalid")
    return nonce


@transaction.atomic
def attendance_check_in(
    *,
    session: Session,
    token: str,
    trainee: User,
    device: str,
    now: datetime.datetime | None = None,
) -> AttendanceRecord:
    """A trainee scans the session's rotating code: present now (late, with the
    minutes left, after the grace period), awaiting the instructor's
    confirmation. Refuses an expired code, a code of another session, a code
    used before, a trainee not confirmed in the edition, a check-in outside the
    session, a trainee already recorded, a second device for the same trainee
    and a device another trainee checked in from (`device` is the browser's
    check-in cookie)."""
    now = now or timezone.now()
    device = (device or "").strip()[:64]
    if not device:
        raise refuse_attendance("checkin_no_device")
    nonce = _checkin_nonce(session=session, token=token)
    enrolment = (
        Enrolment.objects.filter(
            trainee=trainee,
            edition_id=session.edition_id,
            status=EnrolmentStatus.CONFIRMED,
        )
        .select_related("trainee")
        .first()
    )
    if enrolment is None:
        raise refuse_attendance("not_confirmed", person=trainee)
    if session.cancelled:
        raise refuse_attendance("session_cancelled")
    closed_at = _register_closed_at(session)
    if (
        not session.start - CHECKIN_OPENS_BEFORE <= now < session.end
        or register_is_locked(session=session, closed_at=closed_at, now=now)
    ):
        raise refuse_attendance("checkin_closed")
    existing = AttendanceRecord.objects.filter(
        enrolment=enrolment, session=session
    ).first()
    if existing is not None:
        if existing.source != AttendanceSource.CHECK_IN:
            raise refuse_attendance("checkin_recorded")
        if existing.check_in_device and existing.check_in_device != device:
            raise refuse_attendance("checkin_other_device")
        raise refuse_attendance("checkin_done")
    if (
        AttendanceRecord.objects.select_for_update()
        .filter(session=session, check_in_device=device)
        .exists()
    ):
        raise refuse_attendance("checkin_device_used")
    if now <= session.start + CHECKIN_GRACE:
        status, minutes = AttendanceStatus.PRESENT, session.duration_minutes
    else:
        status = AttendanceStatus.LATE
        minutes = max(_minutes_between(now, session.end), 1)
    return _store(
        session=session,
        enrolment=enrolment,
        status=status,
        minutes=minutes,
        actor=trainee,
        action=ACTION_CHECK_IN,
        source=AttendanceSource.CHECK_IN,
        now=now,
        nonce=nonce,
        device=device,
    )
