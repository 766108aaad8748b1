"""Closing a register and confirming its self check-ins: the instructor's two
steps that end a session's register."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import audit_log
from courses.models import Session
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import User

from ..exceptions import refuse_attendance
from ..models import AttendanceRecord, AttendanceSource, SessionRegister
from ..selectors import register_is_locked
from ._base import (
    ACTION_CLOSE,
    ACTION_CONFIRM,
    authorise,
    lock_date,
    register_closed_at,
)


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
    authorise(actor=actor, session=session)
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
    authorise(actor=actor, session=session)
    closed_at = register_closed_at(session)
    if register_is_locked(session=session, closed_at=closed_at, now=now):
        raise refuse_attendance("locked", date=lock_date(session, closed_at))
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
