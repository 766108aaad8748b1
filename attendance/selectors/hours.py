"""Hours attended per trainee and session of an edition, and in total: what a
funder's register and export show (and what the funding app reads).

The figure is each record's minutes present, clipped to its session (the same
number the attendance percentage uses), which the services compute from the
entry and exit times wherever those were typed. Cancelled sessions hold no
hours. A fixed number of queries, whatever the size of the edition.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from courses.models import CourseEdition, Session
from enrolment.models import Enrolment, EnrolmentStatus

from ..models import ATTENDED_STATUSES, AttendanceRecord, RegisterScan, SessionRegister
from .registers import confirmed_enrolments

HUNDREDTH = Decimal("0.01")


def hours_of(minutes: int) -> Decimal:
    """Minutes as hours with two decimals (90 -> 1.50)."""
    return (Decimal(minutes) / 60).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass
class TraineeHours:
    """One trainee's records and minutes attended, per session id."""

    enrolment: Enrolment
    records: dict[int, AttendanceRecord]
    minutes: dict[int, int]

    @property
    def minutes_total(self) -> int:
        return sum(self.minutes.values())

    @property
    def hours_total(self) -> Decimal:
        return hours_of(self.minutes_total)

    def hours(self, session_id: int) -> Decimal | None:
        """Hours attended at a session; None where nothing is recorded."""
        if session_id not in self.records:
            return None
        return hours_of(self.minutes.get(session_id, 0))


@dataclass
class EditionHours:
    """An edition's sessions (in time order, with their registers) and each
    confirmed trainee's hours."""

    edition: CourseEdition
    sessions: list[Session]
    registers: dict[int, SessionRegister]
    trainees: list[TraineeHours]
    scans: list[RegisterScan] = field(default_factory=list)

    @property
    def held_sessions(self) -> list[Session]:
        return [session for session in self.sessions if not session.cancelled]

    @property
    def hours_planned(self) -> Decimal:
        return hours_of(sum(s.duration_minutes for s in self.held_sessions))


def register_scans(*, edition: CourseEdition) -> QuerySet[RegisterScan]:
    """The edition's sign-in sheet scans, by session time. One query."""
    return RegisterScan.objects.filter(session__edition=edition).select_related(
        "session", "uploaded_by"
    )


def edition_hours_attended(*, edition: CourseEdition) -> EditionHours:
    """Hours attended per confirmed trainee per session, and in total, with each
    session's register (topics covered, teacher, tutor, actual times) and the
    sign-in sheet scans. Five queries, whatever the size of the edition."""
    sessions = list(
        Session.objects.filter(edition=edition)
        .select_related("instructor")
        .order_by("start", "pk")
    )
    registers = {
        register.session_id: register
        for register in SessionRegister.objects.filter(
            session__edition=edition
        ).select_related("teacher", "tutor")
    }
    lengths = {s.pk: s.duration_minutes for s in sessions if not s.cancelled}
    records: dict[int, dict[int, AttendanceRecord]] = defaultdict(dict)
    for record in AttendanceRecord.objects.filter(
        enrolment__edition=edition, enrolment__status=EnrolmentStatus.CONFIRMED
    ):
        records[record.enrolment_id][record.session_id] = record
    trainees = []
    for enrolment in confirmed_enrolments(edition_id=edition.pk):
        mine = records[enrolment.pk]
        minutes = {
            session_id: min(record.minutes_present, lengths[session_id])
            for session_id, record in mine.items()
            if session_id in lengths and record.status in ATTENDED_STATUSES
        }
        trainees.append(
            TraineeHours(enrolment=enrolment, records=mine, minutes=minutes)
        )
    return EditionHours(
        edition=edition,
        sessions=sessions,
        registers=registers,
        trainees=trainees,
        scans=list(register_scans(edition=edition)),
    )
