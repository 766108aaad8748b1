"""Reads of registers, attendance and assessments. Every function runs a fixed
number of queries, whatever the number of trainees and sessions.

Attendance % = minutes present / minutes of the edition's sessions that are not
cancelled. Absent and excused count no minutes; a record never counts more than
its session lasts. A session without a record (ahead, or over but not recorded
yet) is never counted as missed: it is still to be attended, "remaining". A
mandatory session missed (recorded absent or excused) makes the trainee
ineligible whatever the percentage; one not recorded yet keeps the certificate
waiting. "Reachable" assumes the trainee attends every remaining session in
full; how much may still be missed is what is left above the minimum.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.models import Competency, CourseEdition, Session
from people.models import Role, User

from .models import (
    ATTENDED_STATUSES,
    Assessment,
    AttendanceRecord,
    Enrolment,
    EnrolmentStatus,
    SessionRegister,
)

ATTENDANCE_ACTION_PREFIX = "makers.attendance."
STAFF_PERMISSION = "enrolment.change_attendancerecord"
STAFF_VIEW_PERMISSIONS = (
    "enrolment.view_attendancerecord",
    "enrolment.change_attendancerecord",
)


def register_lock_hours() -> int:
    return int(getattr(settings, "MAKERS_REGISTER_LOCK_HOURS", 48))


def register_locks_at(
    *, session: Session, closed_at: datetime.datetime | None = None
) -> datetime.datetime:
    """When the session's register locks: when it was closed, or the set number
    of hours after the session ends, whichever comes first."""
    automatic = session.end + datetime.timedelta(hours=register_lock_hours())
    return min(closed_at, automatic) if closed_at else automatic


def register_is_locked(
    *,
    session: Session,
    closed_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> bool:
    return (now or timezone.now()) >= register_locks_at(
        session=session, closed_at=closed_at
    )


def sessions_with_register() -> QuerySet[Session]:
    """Sessions with edition and course, and register_closed_at annotated."""
    closed = SessionRegister.objects.filter(session=OuterRef("pk")).values("closed_at")[
        :1
    ]
    return Session.objects.select_related("edition__course__locale").annotate(
        register_closed_at=Subquery(closed)
    )


def user_is_register_staff(*, user: User) -> bool:
    """Staff who may correct any register (the Staff role's permission)."""
    return user.is_authenticated and user.has_perm(STAFF_PERMISSION)


def _instructor_membership(user: User) -> QuerySet:
    """The user's row in the Instructors group, if they hold the role now."""
    return User.groups.through.objects.filter(
        user_id=user.pk, group__name=Role.INSTRUCTOR.value
    )


def _holds_instructor_role(user: User) -> Exists:
    """In the Instructors group now: an assignment alone opens nothing once the
    role is taken away (nor does it ask for MFA any more, people.middleware)."""
    return Exists(_instructor_membership(user))


def user_is_instructor(*, user: User) -> bool:
    """Holds the Instructor role (the Instructors group). One query."""
    if not user.is_authenticated:
        return False
    return _instructor_membership(user).exists()


def user_teaches_session(*, user: User, session: Session) -> bool:
    """The session's own instructor or one of its edition's instructors, holding
    the Instructor role. One query."""
    if not user.is_authenticated:
        return False
    if session.instructor_id == user.pk:
        return user_is_instructor(user=user)
    return CourseEdition.objects.filter(
        _holds_instructor_role(user), pk=session.edition_id, instructors=user
    ).exists()


def user_teaches_edition(*, user: User, edition: CourseEdition) -> bool:
    """One of the edition's instructors, or the instructor of one of its
    sessions, holding the Instructor role. One query."""
    if not user.is_authenticated:
        return False
    return CourseEdition.objects.filter(
        Q(instructors=user) | Q(sessions__instructor=user),
        _holds_instructor_role(user),
        pk=edition.pk,
    ).exists()


def editions_taught_all(*, instructor: User) -> QuerySet[CourseEdition]:
    """Every edition the instructor teaches, in any status; none once the
    Instructor role is taken away."""
    return (
        CourseEdition.objects.filter(
            Q(instructors=instructor) | Q(sessions__instructor=instructor),
            _holds_instructor_role(instructor),
        )
        .select_related("course__locale")
        .distinct()
    )


@dataclass
class TeachingSession:
    session: Session
    locked: bool
    locks_at: datetime.datetime

    @property
    def register_open(self) -> bool:
        return not self.locked and not self.session.cancelled


@dataclass
class Teaching:
    today: list[TeachingSession] = field(default_factory=list)
    upcoming: list[TeachingSession] = field(default_factory=list)
    open_past: list[TeachingSession] = field(default_factory=list)
    editions: list[CourseEdition] = field(default_factory=list)


def instructor_teaching(
    *, instructor: User, now: datetime.datetime | None = None, days_ahead: int = 30
) -> Teaching:
    """ "My teaching": today's sessions, the next `days_ahead` days' sessions and
    past sessions whose register is still open; nothing without the Instructor
    role. Two queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = now + datetime.timedelta(days=days_ahead)
    earliest = now - datetime.timedelta(hours=register_lock_hours())
    taught = editions_taught_all(instructor=instructor)
    sessions = (
        sessions_with_register()
        .filter(
            Q(edition__in=taught.values("pk")) | Q(instructor=instructor),
            _holds_instructor_role(instructor),
            end__gte=earliest,
            start__lte=horizon,
        )
        .order_by("start", "pk")
    )
    result = Teaching(editions=list(taught.order_by("-enrolment_opens_at", "code")))
    for session in sessions:
        item = TeachingSession(
            session=session,
            locked=register_is_locked(
                session=session, closed_at=session.register_closed_at, now=now
            ),
            locks_at=register_locks_at(
                session=session, closed_at=session.register_closed_at
            ),
        )
        if timezone.localdate(session.start) == today:
            result.today.append(item)
        elif session.start > now:
            result.upcoming.append(item)
        elif item.register_open:
            result.open_past.append(item)
    return result


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


def register_history(*, session: Session) -> list[ModelLogEntry]:
    """Audit entries of the session's register (marks, check-ins, corrections,
    closing), newest first. One query (content types are cached)."""
    record_type = ContentType.objects.get_for_model(AttendanceRecord)
    register_type = ContentType.objects.get_for_model(SessionRegister)
    record_ids = AttendanceRecord.objects.filter(session=session).values(
        pk_text=Cast("pk", CharField())
    )
    register_ids = SessionRegister.objects.filter(session=session).values(
        pk_text=Cast("pk", CharField())
    )
    return list(
        ModelLogEntry.objects.filter(
            Q(content_type=record_type, object_id__in=record_ids)
            | Q(content_type=register_type, object_id__in=register_ids),
            action__startswith=ATTENDANCE_ACTION_PREFIX,
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


@dataclass
class TraineeAttendance:
    """One trainee's figures in one edition."""

    enrolment: Enrolment
    marks: dict[int, AttendanceRecord]
    minutes_present: int
    minutes_total: int
    minutes_remaining: int
    minimum: int
    missed_mandatory: list[Session]
    # Sessions not cancelled and not recorded yet, in time order.
    remaining: list[Session] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        if not self.minutes_total:
            return None
        return round(100 * self.minutes_present / self.minutes_total, 1)

    @property
    def meets_minimum(self) -> bool:
        # Integer arithmetic: 80 % of 1000 minutes is exactly 800.
        return bool(self.minutes_total) and (
            100 * self.minutes_present >= self.minimum * self.minutes_total
        )

    @property
    def reachable(self) -> bool:
        """The minimum can still be reached by attending every remaining session."""
        if not self.minutes_total:
            return True
        best = self.minutes_present + self.minutes_remaining
        return 100 * best >= self.minimum * self.minutes_total

    @property
    def minutes_needed(self) -> int:
        """The fewest minutes present that reach the minimum (rounded up)."""
        return -(-self.minimum * self.minutes_total // 100)

    @property
    def minutes_to_spare(self) -> int:
        """Minutes of the remaining sessions that may still be missed with the
        minimum reached (0 when every one must be attended or it is out of
        reach)."""
        best = self.minutes_present + self.minutes_remaining
        return max(best - self.minutes_needed, 0)

    @property
    def sessions_to_spare(self) -> int:
        """How many remaining sessions may still be missed with the minimum
        reached: the shortest first, never a mandatory one."""
        spare, count = self.minutes_to_spare, 0
        for length in sorted(
            s.duration_minutes for s in self.remaining if not s.mandatory
        ):
            if length > spare:
                break
            spare -= length
            count += 1
        return count

    @property
    def unrecorded_mandatory(self) -> list[Session]:
        """Mandatory sessions not recorded yet (not missed: still waiting)."""
        return [s for s in self.remaining if s.mandatory]

    @property
    def eligible(self) -> bool:
        """Attendance part of the certificate's eligibility: every mandatory
        session recorded as attended."""
        return (
            self.meets_minimum
            and not self.missed_mandatory
            and not self.unrecorded_mandatory
        )

    @property
    def at_risk(self) -> bool:
        return bool(self.missed_mandatory) or not self.reachable


def _figures(
    *,
    enrolment: Enrolment,
    sessions: list[Session],
    records: dict[int, AttendanceRecord],
    minimum: int,
) -> TraineeAttendance:
    present = total = remaining = 0
    missed_mandatory, unrecorded = [], []
    for session in sessions:
        if session.cancelled:
            continue
        length = session.duration_minutes
        total += length
        record = records.get(session.pk)
        if record is None:
            # Never missed while nobody has recorded it, even once it is over.
            remaining += length
            unrecorded.append(session)
        elif record.status in ATTENDED_STATUSES:
            present += min(record.minutes_present, length)
        elif session.mandatory:
            missed_mandatory.append(session)
    return TraineeAttendance(
        enrolment=enrolment,
        marks=records,
        minutes_present=present,
        minutes_total=total,
        minutes_remaining=remaining,
        minimum=minimum,
        missed_mandatory=missed_mandatory,
        remaining=unrecorded,
    )


@dataclass
class EditionAttendance:
    edition: CourseEdition
    sessions: list[Session]
    trainees: list[TraineeAttendance]

    @property
    def held_sessions(self) -> list[Session]:
        return [session for session in self.sessions if not session.cancelled]

    @property
    def at_risk(self) -> list[TraineeAttendance]:
        return [row for row in self.trainees if row.at_risk]


def edition_attendance(*, edition: CourseEdition) -> EditionAttendance:
    """Every confirmed trainee's figures in the edition. Three queries, whatever
    the number of trainees and sessions."""
    sessions = list(edition.sessions.order_by("start", "pk"))
    enrolments = list(confirmed_enrolments(edition_id=edition.pk))
    by_enrolment: dict[int, dict[int, AttendanceRecord]] = defaultdict(dict)
    for record in AttendanceRecord.objects.filter(
        enrolment__edition_id=edition.pk,
        enrolment__status=EnrolmentStatus.CONFIRMED,
    ):
        by_enrolment[record.enrolment_id][record.session_id] = record
    return EditionAttendance(
        edition=edition,
        sessions=sessions,
        trainees=[
            _figures(
                enrolment=enrolment,
                sessions=sessions,
                records=by_enrolment[enrolment.pk],
                minimum=edition.min_attendance_percent,
            )
            for enrolment in enrolments
        ],
    )


def enrolment_attendance(*, enrolment: Enrolment) -> TraineeAttendance:
    """One enrolment's figures in its edition, by the same rule as
    edition_attendance(). One query, whatever the size of the edition: the
    edition's sessions left-joined with this enrolment's records."""
    sessions = list(
        Session.objects.filter(edition_id=enrolment.edition_id)
        .annotate(
            mine=FilteredRelation(
                "attendance_records",
                condition=Q(attendance_records__enrolment_id=enrolment.pk),
            ),
            record_pk=F("mine__pk"),
            record_status=F("mine__status"),
            record_minutes=F("mine__minutes_present"),
            record_source=F("mine__source"),
            record_confirmed_at=F("mine__confirmed_at"),
        )
        .order_by("start", "pk")
    )
    records = {
        session.pk: AttendanceRecord(
            pk=session.record_pk,
            enrolment_id=enrolment.pk,
            session_id=session.pk,
            status=session.record_status,
            minutes_present=session.record_minutes,
            source=session.record_source,
            confirmed_at=session.record_confirmed_at,
        )
        for session in sessions
        if session.record_pk is not None
    }
    return _figures(
        enrolment=enrolment,
        sessions=sessions,
        records=records,
        minimum=enrolment.edition.min_attendance_percent,
    )


def enrolments_attendance(
    *, enrolments: Iterable[Enrolment]
) -> dict[int, TraineeAttendance]:
    """Figures for enrolments of any editions (a trainee's, a company's), keyed by
    enrolment id; only confirmed ones. `enrolments` carry their edition. One
    query: the editions' sessions left-joined with these enrolments' records."""
    confirmed = [e for e in enrolments if e.status == EnrolmentStatus.CONFIRMED]
    if not confirmed:
        return {}
    ids = [e.pk for e in confirmed]
    rows = (
        Session.objects.filter(edition_id__in={e.edition_id for e in confirmed})
        .annotate(
            mine=FilteredRelation(
                "attendance_records",
                condition=Q(attendance_records__enrolment_id__in=ids),
            )
        )
        .values(
            "pk",
            "edition_id",
            "start",
            "end",
            "cancelled",
            "mandatory",
            "mine__pk",
            "mine__enrolment_id",
            "mine__status",
            "mine__minutes_present",
            "mine__source",
            "mine__confirmed_at",
        )
        .order_by("start", "pk")
    )
    sessions_by_edition: dict[int, dict[int, Session]] = defaultdict(dict)
    records: dict[int, dict[int, AttendanceRecord]] = defaultdict(dict)
    for row in rows:
        session = sessions_by_edition[row["edition_id"]].get(row["pk"])
        if session is None:
            session = Session(
                pk=row["pk"],
                edition_id=row["edition_id"],
                start=row["start"],
                end=row["end"],
                cancelled=row["cancelled"],
                mandatory=row["mandatory"],
            )
            sessions_by_edition[row["edition_id"]][row["pk"]] = session
        if row["mine__pk"] is not None:
            records[row["mine__enrolment_id"]][row["pk"]] = AttendanceRecord(
                pk=row["mine__pk"],
                enrolment_id=row["mine__enrolment_id"],
                session_id=row["pk"],
                status=row["mine__status"],
                minutes_present=row["mine__minutes_present"],
                source=row["mine__source"],
                confirmed_at=row["mine__confirmed_at"],
            )
    return {
        e.pk: _figures(
            enrolment=e,
            sessions=list(sessions_by_edition[e.edition_id].values()),
            records=records[e.pk],
            minimum=e.edition.min_attendance_percent,
        )
        for e in confirmed
    }


@dataclass
class EditionAssessments:
    competencies: list[Competency]
    enrolments: list[Enrolment]
    # (enrolment id, competency id) -> assessment
    assessments: dict[tuple[int, int], Assessment]

    def for_enrolment(self, enrolment: Enrolment) -> list[tuple]:
        return [
            (competency, self.assessments.get((enrolment.pk, competency.pk)))
            for competency in self.competencies
        ]


def edition_assessments(*, edition: CourseEdition) -> EditionAssessments:
    """The course's competencies and every confirmed trainee's assessment of
    each. Three queries."""
    competencies = list(
        Competency.objects.filter(courses=edition.course_id).order_by("code")
    )
    enrolments = list(confirmed_enrolments(edition_id=edition.pk))
    assessments = {
        (a.enrolment_id, a.competency_id): a
        for a in Assessment.objects.filter(enrolment__in=enrolments).select_related(
            "assessed_by"
        )
    }
    return EditionAssessments(
        competencies=competencies, enrolments=enrolments, assessments=assessments
    )


def enrolment_assessments(*, enrolment: Enrolment) -> list[tuple]:
    """(competency, assessment or None) for each competency of the enrolment's
    course, as EditionAssessments.for_enrolment() gives them. One query: the
    course's competencies left-joined with this enrolment's assessments."""
    competencies = (
        Competency.objects.filter(courses=enrolment.edition.course_id)
        .annotate(
            mine=FilteredRelation(
                "assessments", condition=Q(assessments__enrolment_id=enrolment.pk)
            ),
            assessment_pk=F("mine__pk"),
            assessment_achieved=F("mine__achieved"),
        )
        .order_by("code")
    )
    return [
        (
            competency,
            Assessment(
                pk=competency.assessment_pk,
                enrolment_id=enrolment.pk,
                competency_id=competency.pk,
                achieved=competency.assessment_achieved,
            )
            if competency.assessment_pk is not None
            else None,
        )
        for competency in competencies
    ]


def edition_register_history(*, edition: CourseEdition) -> list[ModelLogEntry]:
    """Audit entries of every register of an edition, newest first. One query."""
    record_type = ContentType.objects.get_for_model(AttendanceRecord)
    register_type = ContentType.objects.get_for_model(SessionRegister)
    record_ids = AttendanceRecord.objects.filter(session__edition=edition).values(
        pk_text=Cast("pk", CharField())
    )
    register_ids = SessionRegister.objects.filter(session__edition=edition).values(
        pk_text=Cast("pk", CharField())
    )
    return list(
        ModelLogEntry.objects.filter(
            Q(content_type=record_type, object_id__in=record_ids)
            | Q(content_type=register_type, object_id__in=register_ids),
            action__startswith=ATTENDANCE_ACTION_PREFIX,
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")[:200]
    )
