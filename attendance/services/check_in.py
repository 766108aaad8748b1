"""Self check-in: a trainee scans the session's rotating code from their own
device; the record counts at once and awaits the instructor's confirmation."""

from __future__ import annotations

import datetime
import secrets

from django.core import signing
from django.db import transaction
from django.utils import timezone

from courses.models import Session
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import User

from ..exceptions import refuse_attendance
from ..models import AttendanceRecord, AttendanceSource, AttendanceStatus
from ..selectors import register_is_locked
from ._base import ACTION_CHECK_IN, minutes_between, record_store, register_closed_at

# Self check-in: a code is shown for CHECKIN_ROTATE_SECONDS and accepted for
# CHECKIN_MAX_AGE_SECONDS after it was made (a scan just before a change passes).
CHECKIN_ROTATE_SECONDS = 30
CHECKIN_MAX_AGE_SECONDS = 60
# Check-in opens this long before the start; later than CHECKIN_GRACE after the
# start the trainee is marked late, with the minutes left.
CHECKIN_OPENS_BEFORE = datetime.timedelta(minutes=15)
CHECKIN_GRACE = datetime.timedelta(minutes=10)


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


def _checkin_enrolment(*, session: Session, trainee: User) -> Enrolment:
    """The trainee's confirmed enrolment in the session's edition; never for a
    cancelled session."""
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
    return enrolment


def _checkin_open_check(*, session: Session, now: datetime.datetime) -> None:
    """From shortly before the start to the end, while the register is open."""
    closed_at = register_closed_at(session)
    if (
        not session.start - CHECKIN_OPENS_BEFORE <= now < session.end
        or register_is_locked(session=session, closed_at=closed_at, now=now)
    ):
        raise refuse_attendance("checkin_closed")


def _checkin_device_check(
    *, session: Session, enrolment: Enrolment, device: str
) -> None:
    """Not recorded yet, and from a device no other trainee checked in from."""
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


def _checkin_status(*, session: Session, now: datetime.datetime) -> tuple[str, int]:
    """Present for the whole session within the grace period, else late with
    the minutes left."""
    if now <= session.start + CHECKIN_GRACE:
        return AttendanceStatus.PRESENT, session.duration_minutes
    return AttendanceStatus.LATE, max(minutes_between(now, session.end), 1)


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
    enrolment = _checkin_enrolment(session=session, trainee=trainee)
    _checkin_open_check(session=session, now=now)
    _checkin_device_check(session=session, enrolment=enrolment, device=device)
    status, minutes = _checkin_status(session=session, now=now)
    return record_store(
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
        # The real arrival is the entry; the exit comes from the instructor.
        times=(now, None),
    )
