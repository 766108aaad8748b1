"""One session's register as the instructor's screen shows it (every confirmed
trainee with their record) and the audit history of registers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models import ModelLogEntry

from courses.models import CourseEdition, Session
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import User

from ..models import AttendanceRecord, RegisterScan, SessionRegister
from .access import register_is_locked, register_locks_at

ATTENDANCE_ACTION_PREFIX = "makers.attendance."


def confirmed_enrolments(*, edition_id: int) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(
            edition_id=edition_id, status=EnrolmentStatus.CONFIRMED
        )
        .select_related("trainee")
        .order_by("trainee__last_name", "trainee__first_name", "pk")
    )


@dataclass
class RegisterRow:
    enrolment: Enrolment
    record: AttendanceRecord | None

    @property
    def trainee(self) -> User:
        return self.enrolment.trainee


@dataclass
class Register:
    session: Session
    rows: list[RegisterRow]
    locked: bool
    locks_at: datetime.datetime
    closed_at: datetime.datetime | None

    @property
    def marked(self) -> int:
        return sum(1 for row in self.rows if row.record is not None)

    @property
    def unmarked(self) -> list[RegisterRow]:
        return [row for row in self.rows if row.record is None]

    @property
    def awaiting_confirmation(self) -> list[RegisterRow]:
        """Rows of self check-ins the instructor has not confirmed yet."""
        return [
            row
            for row in self.rows
            if row.record is not None and row.record.awaits_confirmation
        ]


def session_register(
    *, session: Session, now: datetime.datetime | None = None
) -> Register:
    """The register of a session: every confirmed trainee with their record.

    `session` should come from sessions_with_register(). Two queries.
    """
    closed_at = getattr(session, "register_closed_at", None)
    records = {
        record.enrolment_id: record
        for record in AttendanceRecord.objects.filter(session=session).select_related(
            "recorded_by"
        )
    }
    rows = [
        RegisterRow(enrolment=enrolment, record=records.get(enrolment.pk))
        for enrolment in confirmed_enrolments(edition_id=session.edition_id)
    ]
    return Register(
        session=session,
        rows=rows,
        locked=register_is_locked(session=session, closed_at=closed_at, now=now),
        locks_at=register_locks_at(session=session, closed_at=closed_at),
        closed_at=closed_at,
    )


def register_marked_count(*, session: Session) -> tuple[int, int]:
    """(marked, total) of the session's register: confirmed trainees with a
    record, and all confirmed trainees. One query."""
    counts = confirmed_enrolments(edition_id=session.edition_id).aggregate(
        total=Count("pk", distinct=True),
        marked=Count(
            "pk", filter=Q(attendance_records__session=session), distinct=True
        ),
    )
    return counts["marked"], counts["total"]


def trainee_session_record(
    *, trainee: User, session: Session
) -> AttendanceRecord | None:
    """The trainee's record of a session, as a confirmed trainee of its
    edition (None if not recorded). One query."""
    if not trainee.is_authenticated:
        return None
    return AttendanceRecord.objects.filter(
        session=session,
        enrolment__trainee=trainee,
        enrolment__status=EnrolmentStatus.CONFIRMED,
    ).first()


def _register_entries(**sessions) -> QuerySet[ModelLogEntry]:
    """Audit entries of the registers of the sessions `sessions` filters (their
    marks, check-ins, corrections and closing), newest first."""
    record_type = ContentType.objects.get_for_model(AttendanceRecord)
    register_type = ContentType.objects.get_for_model(SessionRegister)
    session_filter = {f"session__{name}": value for name, value in sessions.items()}
    record_ids = AttendanceRecord.objects.filter(**session_filter).values(
        pk_text=Cast("pk", CharField())
    )
    register_ids = SessionRegister.objects.filter(**session_filter).values(
        pk_text=Cast("pk", CharField())
    )
    scan_type = ContentType.objects.get_for_model(RegisterScan)
    scan_ids = RegisterScan.objects.filter(**session_filter).values(
        pk_text=Cast("pk", CharField())
    )
    return (
        ModelLogEntry.objects.filter(
            Q(content_type=record_type, object_id__in=record_ids)
            | Q(content_type=register_type, object_id__in=register_ids)
            | Q(content_type=scan_type, object_id__in=scan_ids),
            action__startswith=ATTENDANCE_ACTION_PREFIX,
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


def register_history(*, session: Session) -> list[ModelLogEntry]:
    """Audit entries of the session's register, newest first. One query
    (content types are cached)."""
    return list(_register_entries(pk=session.pk))


def edition_register_history(*, edition: CourseEdition) -> list[ModelLogEntry]:
    """Audit entries of every register of an edition, newest first (the latest
    200). One query."""
    return list(_register_entries(edition=edition)[:200])
