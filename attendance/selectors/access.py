"""Who may see and write a register, when a register locks, and an instructor's
"My teaching". Each check runs one query at most."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from courses.models import CourseEdition, Session
from people.models import Role, User

from ..models import SessionRegister

STAFF_PERMISSION = "attendance.change_attendancerecord"


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
