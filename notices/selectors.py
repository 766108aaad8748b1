"""Reads of notices: who is due what now, who may be written to, and the
attendance risks a page shows. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from attendance.models import AttendanceRecord, SessionRegister
from attendance.selectors import enrolments_attendance, register_lock_hours
from certificates.models import Certificate, CertificateStatus
from core.emails import email_suppressed, emails_suppressed
from courses.models import CourseEdition, EditionStatus, Session
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import User

from .models import OPTIONAL_KINDS, AttendanceRisk, NoticeOptOut, RiskCause

# Notices are sent this long before what they are about.
REMINDER_BEFORE = datetime.timedelta(hours=24)
OFFER_WARNING_BEFORE = datetime.timedelta(hours=6)
CERTIFICATE_WARNING_DAYS = (60, 14)
LIVE_EDITIONS = (EditionStatus.OPEN, EditionStatus.IN_PROGRESS)


def register_open_hours() -> int:
    """A register still open this many hours after its session ended is one
    left open: its instructor is reminded."""
    return int(getattr(settings, "MAKERS_REGISTER_OPEN_HOURS", 12))


def users_reachable(*, users: Iterable[User], kind: str) -> set[int]:
    """The ids of those among `users` a notice of `kind` may be sent to: not
    bounced, and not opted out of it (service notices cannot be). Two queries."""
    users = [user for user in users if user is not None and user.email]
    if not users:
        return set()
    bounced = emails_suppressed(emails=[user.email for user in users])
    opted_out: set[int] = set()
    if kind in OPTIONAL_KINDS:
        opted_out = set(
            NoticeOptOut.objects.filter(
                kind=kind, user_id__in={user.pk for user in users}
            ).values_list("user_id", flat=True)
        )
    return {
        user.pk
        for user in users
        if user.email.lower() not in bounced and user.pk not in opted_out
    }


def address_bounced(*, email: str) -> bool:
    return email_suppressed(email=email)


def opted_out_kinds(*, user: User) -> set[str]:
    return set(NoticeOptOut.objects.filter(user=user).values_list("kind", flat=True))


def session_instructors(*, session: Session) -> list[User]:
    """The session's own instructor and its edition's (prefetched)."""
    people = {user.pk: user for user in session.edition.instructors.all()}
    if session.instructor is not None:
        people[session.instructor.pk] = session.instructor
    return list(people.values())


def sessions_due_reminder(*, now: datetime.datetime) -> QuerySet[Session]:
    """Sessions (not cancelled, of an open or running edition) starting within
    the next day, with their edition, course and instructors."""
    return (
        Session.objects.filter(
            cancelled=False,
            edition__status__in=LIVE_EDITIONS,
            start__gt=now,
            start__lte=now + REMINDER_BEFORE,
        )
        .select_related("edition__course", "instructor")
        .prefetch_related("edition__instructors")
        .order_by("start", "pk")
    )


def session_trainees(*, session: Session) -> list[User]:
    return [
        enrolment.trainee
        for enrolment in Enrolment.objects.filter(
            edition_id=session.edition_id, status=EnrolmentStatus.CONFIRMED
        ).select_related("trainee")
    ]


def offers_expiring(*, now: datetime.datetime) -> QuerySet[Enrolment]:
    """Open offers that lapse within the next six hours."""
    return (
        Enrolment.objects.filter(
            status=EnrolmentStatus.OFFERED,
            offer_expires_at__gt=now,
            offer_expires_at__lte=now + OFFER_WARNING_BEFORE,
        )
        .select_related("trainee", "edition__course")
        .order_by("offer_expires_at", "pk")
    )


def certificate_warning_days(*, valid_until: datetime.date, today) -> int | None:
    """Which warning is due (60 or 14 days before), or None: the nearest one
    whose day has come (a certificate found 10 days before gets only the 14)."""
    left = (valid_until - today).days
    if left < 0:
        return None
    due = [days for days in CERTIFICATE_WARNING_DAYS if left <= days]
    return min(due) if due else None


def certificates_expiring(*, today: datetime.date) -> QuerySet[Certificate]:
    """Valid certificates with a holder that expire within 60 days."""
    return (
        Certificate.objects.filter(
            status=CertificateStatus.VALID,
            holder__isnull=False,
            valid_until__gte=today,
            valid_until__lte=today
            + datetime.timedelta(days=max(CERTIFICATE_WARNING_DAYS)),
        )
        .select_related("holder", "enrolment__edition")
        .order_by("valid_until", "pk")
    )


def refresher_editions(
    *, course_ids: Iterable[int], now: datetime.datetime
) -> dict[int, list[CourseEdition]]:
    """Editions of these courses open for enrolment now, by course id."""
    editions: dict[int, list[CourseEdition]] = {}
    for edition in (
        CourseEdition.objects.filter(
            course_id__in=set(course_ids),
            status=EditionStatus.OPEN,
            enrolment_opens_at__lte=now,
            enrolment_closes_at__gt=now,
        )
        .select_related("course")
        .order_by("enrolment_closes_at", "code")
    ):
        editions.setdefault(edition.course_id, []).append(edition)
    return editions


def registers_left_open(*, now: datetime.datetime) -> QuerySet[Session]:
    """Sessions over for register_open_hours() whose register is not closed,
    still writable by its instructor (not locked), with a confirmed trainee
    left unmarked."""
    unmarked = Enrolment.objects.filter(
        edition_id=OuterRef("edition_id"), status=EnrolmentStatus.CONFIRMED
    ).exclude(
        Exists(
            AttendanceRecord.objects.filter(
                session_id=OuterRef(OuterRef("pk")), enrolment_id=OuterRef("pk")
            )
        )
    )
    closed = SessionRegister.objects.filter(
        session_id=OuterRef("pk"), closed_at__isnull=False
    )
    return (
        Session.objects.filter(
            Exists(unmarked),
            ~Exists(closed),
            cancelled=False,
            edition__status__in=(*LIVE_EDITIONS, EditionStatus.COMPLETED),
            end__lte=now - datetime.timedelta(hours=register_open_hours()),
            end__gt=now - datetime.timedelta(hours=register_lock_hours()),
        )
        .select_related("edition__course", "instructor")
        .prefetch_related("edition__instructors")
        .order_by("end", "pk")
    )


@dataclass(frozen=True)
class RiskFound:
    """One cause of one enrolment's attendance at risk."""

    enrolment: Enrolment
    cause: str
    session: Session | None = None

    @property
    def key(self) -> str:
        if self.session is None:
            return f"{self.enrolment.pk}:{self.cause}"
        return f"{self.enrolment.pk}:{self.cause}:{self.session.pk}"


def attendance_risks_found() -> Iterator[RiskFound]:
    """Every cause of attendance at risk among the confirmed enrolments of the
    editions in progress: the minimum out of reach, each mandatory session
    missed (attendance.selectors' rule). Two queries."""
    enrolments = list(
        Enrolment.objects.filter(
            status=EnrolmentStatus.CONFIRMED,
            edition__status=EditionStatus.IN_PROGRESS,
        ).select_related("trainee", "sponsored_by", "edition__course")
    )
    figures = enrolments_attendance(enrolments=enrolments)
    for enrolment in enrolments:
        row = figures.get(enrolment.pk)
        if row is None:
            continue
        if not row.reachable:
            yield RiskFound(enrolment=enrolment, cause=RiskCause.MINIMUM)
        for session in row.missed_mandatory:
            yield RiskFound(
                enrolment=enrolment, cause=RiskCause.MANDATORY, session=session
            )


def _risks_current(risks: list[AttendanceRisk]) -> list[AttendanceRisk]:
    """The risks whose cause still holds (a register corrected since takes
    the notice off the pages). One query when there are any."""
    if not risks:
        return []
    figures = enrolments_attendance(enrolments={r.enrolment for r in risks})
    current = []
    for risk in risks:
        row = figures.get(risk.enrolment_id)
        if row is None:
            continue
        if risk.cause == RiskCause.MINIMUM:
            holds = not row.reachable
        else:
            holds = risk.session_id in {s.pk for s in row.missed_mandatory}
        if holds:
            current.append(risk)
    return current


def risks_shown(*, enrolments: QuerySet[Enrolment]) -> list[AttendanceRisk]:
    """The attendance risks of these enrolments (still confirmed) whose cause
    still holds, for a page. Two queries."""
    return _risks_current(
        list(
            AttendanceRisk.objects.filter(
                enrolment__in=enrolments, enrolment__status=EnrolmentStatus.CONFIRMED
            )
            .select_related(
                "enrolment__trainee", "enrolment__edition__course", "session"
            )
            .order_by("found_at", "pk")
        )
    )


def trainee_risks(*, user: User) -> list[AttendanceRisk]:
    return risks_shown(enrolments=Enrolment.objects.filter(trainee_id=user.pk))


def company_risks(*, company) -> list[AttendanceRisk]:
    """The risks of the employees the company enrolled."""
    return risks_shown(enrolments=Enrolment.objects.filter(sponsor_company=company))
