"""A session's register as an auditor reads it: the topics actually covered,
the teacher and the tutor present with them, and the actual start and end."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import audit_log
from courses.models import Session
from people.models import Role, User

from ..exceptions import refuse_attendance
from ..models import SessionRegister
from ..selectors import register_is_locked, user_is_register_staff, user_teaches_session
from ._base import (
    ACTION_DETAILS,
    authorise,
    lock_date,
    register_closed_at,
    time_on_session_day,
)

DETAIL_FIELDS = ("topics_covered", "teacher_id", "tutor_id", "started_at", "ended_at")


def _people_check(*, session: Session, teacher: User | None, tutor: User | None):
    """The teacher teaches the session; the tutor is an instructor or staff,
    not the teacher."""
    if teacher is not None and not user_teaches_session(user=teacher, session=session):
        raise refuse_attendance("teacher_not_instructor")
    if tutor is None:
        return
    roles = {Role.INSTRUCTOR.value, Role.STAFF.value}
    holds_role = tutor.is_active and tutor.groups.filter(name__in=roles).exists()
    if not holds_role or (teacher is not None and tutor.pk == teacher.pk):
        raise refuse_attendance("tutor_not_allowed")


def _writable_check(
    *, session: Session, actor: User, reason: str, now: datetime.datetime
) -> None:
    """A held session that has begun; once locked, staff with a reason."""
    authorise(actor=actor, session=session)
    if session.cancelled:
        raise refuse_attendance("session_cancelled")
    if now < session.start:
        raise refuse_attendance("not_started")
    closed_at = register_closed_at(session)
    if register_is_locked(session=session, closed_at=closed_at, now=now):
        if not user_is_register_staff(user=actor):
            raise refuse_attendance("locked", date=lock_date(session, closed_at))
        if not reason:
            raise refuse_attendance("reason_required")


def _snapshot(register: SessionRegister) -> dict:
    values = {name: getattr(register, name) for name in DETAIL_FIELDS}
    for name in ("started_at", "ended_at"):
        if values[name]:
            values[name] = timezone.localtime(values[name]).isoformat()
    return values


@transaction.atomic
def register_details_save(
    *,
    session: Session,
    actor: User,
    topics_covered: str,
    teacher: User | None,
    tutor: User | None,
    started_at=None,
    ended_at=None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> SessionRegister:
    """Record what the session covered, who taught it, the tutor present and
    its actual start and end ("HH:MM" on its day or datetimes; empty: as
    planned). The session's instructors while the register is open; once
    locked only staff, with a reason. Audited with the values before and
    after."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    _writable_check(session=session, actor=actor, reason=reason, now=now)
    _people_check(session=session, teacher=teacher, tutor=tutor)
    started = time_on_session_day(session=session, value=started_at) or session.start
    ended = time_on_session_day(session=session, value=ended_at) or session.end
    if ended <= started:
        raise refuse_attendance("end_before_start")
    register, _ = SessionRegister.objects.select_for_update().get_or_create(
        session=session
    )
    before = _snapshot(register)
    register.topics_covered = (topics_covered or "").strip()
    register.teacher, register.tutor = teacher, tutor
    register.started_at, register.ended_at = started, ended
    register.full_clean(exclude=["session", "closed_by", "teacher", "tutor"])
    register.save()
    audit_log(
        instance=register,
        action=ACTION_DETAILS,
        user=actor,
        data={
            "session": session.pk,
            "before": before,
            "after": _snapshot(register),
            "reason": reason,
        },
    )
    return register
