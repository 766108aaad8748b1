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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, FilteredRelation, Q, QuerySet

from courses.models import CourseEdition, Session
from enrolment.models import Enrolment, EnrolmentStatus

from ..models import ATTENDED_STATUSES, AttendanceRecord
from .registers import confirmed_enrolments


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


_ROW_FIELDS = (
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


def _sessions_with_records_read(*, enrolments: list[Enrolment]) -> QuerySet:
    """The editions' sessions left-joined with these enrolments' records, as
    value rows (one row per session and record). One query."""
    ids = [e.pk for e in enrolments]
    return (
        Session.objects.filter(edition_id__in={e.edition_id for e in enrolments})
        .annotate(
            mine=FilteredRelation(
                "attendance_records",
                condition=Q(attendance_records__enrolment_id__in=ids),
            )
        )
        .values(*_ROW_FIELDS)
        .order_by("start", "pk")
    )


def _record_from_row(row: dict) -> AttendanceRecord:
    return AttendanceRecord(
        pk=row["mine__pk"],
        enrolment_id=row["mine__enrolment_id"],
        session_id=row["pk"],
        status=row["mine__status"],
        minutes_present=row["mine__minutes_present"],
        source=row["mine__source"],
        confirmed_at=row["mine__confirmed_at"],
    )


def _sessions_and_records(
    rows: Iterable[dict],
) -> tuple[dict[int, dict[int, Session]], dict[int, dict[int, AttendanceRecord]]]:
    """Sessions by edition (in time order) and records by enrolment and session,
    from the rows of _sessions_with_records_read()."""
    sessions_by_edition: dict[int, dict[int, Session]] = defaultdict(dict)
    records: dict[int, dict[int, AttendanceRecord]] = defaultdict(dict)
    for row in rows:
        if row["pk"] not in sessions_by_edition[row["edition_id"]]:
            sessions_by_edition[row["edition_id"]][row["pk"]] = Session(
                pk=row["pk"],
                edition_id=row["edition_id"],
                start=row["start"],
                end=row["end"],
                cancelled=row["cancelled"],
                mandatory=row["mandatory"],
            )
        if row["mine__pk"] is not None:
            records[row["mine__enrolment_id"]][row["pk"]] = _record_from_row(row)
    return sessions_by_edition, records


def enrolments_attendance(
    *, enrolments: Iterable[Enrolment]
) -> dict[int, TraineeAttendance]:
    """Figures for enrolments of any editions (a trainee's, a company's), keyed by
    enrolment id; only confirmed ones. `enrolments` carry their edition. One
    query: the editions' sessions left-joined with these enrolments' records."""
    confirmed = [e for e in enrolments if e.status == EnrolmentStatus.CONFIRMED]
    if not confirmed:
        return {}
    sessions_by_edition, records = _sessions_and_records(
        _sessions_with_records_read(enrolments=confirmed)
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
