"""Attendance: per edition, how trainees' attendance is spread and who is at
risk now (attendance.selectors' rules: the minimum still reachable, no
mandatory session missed), and absences per session. Fixed query counts."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import AttendanceRecord, AttendanceStatus
from attendance.selectors import enrolments_attendance
from enrolment.models import Enrolment, EnrolmentStatus

from .base import (
    EDITION_ROWS,
    Figures,
    ReportFilters,
    editions_filtered,
    editions_recent,
)

BY_CHOICES = ("edition", "session")
# The most sessions the absences table lists (the most absences first).
SESSION_ROWS = 40


def _confirmed(filters: ReportFilters):
    enrolments = Enrolment.objects.filter(
        edition__in=editions_recent(filters).values("pk"),
        status=EnrolmentStatus.CONFIRMED,
    ).select_related("edition")
    if filters.company:
        enrolments = enrolments.filter(sponsor_company_id=filters.company)
    return enrolments.only(
        "pk", "status", "edition_id", "edition__code", "edition__min_attendance_percent"
    )


def _band(row) -> int:
    """Column of the distribution: below 50 %, 50 % to the minimum, at or
    above the minimum, nothing recorded yet."""
    if row.percent is None or row.minutes_remaining == row.minutes_total:
        return 3
    if row.meets_minimum:
        return 2
    return 0 if row.percent < 50 else 1


def attendance_by_edition(*, filters: ReportFilters) -> Figures:
    enrolments = list(_confirmed(filters))
    figures_by_id = enrolments_attendance(enrolments=enrolments)
    per_edition: dict[str, list[int]] = {}
    for enrolment in enrolments:
        row = figures_by_id[enrolment.pk]
        counts = per_edition.setdefault(enrolment.edition.code, [0] * 6)
        counts[0] += 1
        counts[1 + _band(row)] += 1
        counts[5] += row.at_risk
    figures = Figures(
        columns=[
            _("Edition"),
            _("Trainees"),
            _("Below 50 %"),
            _("50 % to the minimum"),
            _("At or above the minimum"),
            _("Nothing recorded yet"),
            _("At risk"),
        ],
        charted=(4, 6),
    )
    figures.note = _("The %(count)s editions that started last.") % {
        "count": EDITION_ROWS
    }
    for code in sorted(per_edition):
        figures.rows.append([code, *per_edition[code]])
    return figures


def absences_by_session(*, filters: ReportFilters) -> Figures:
    records = AttendanceRecord.objects.filter(
        session__edition__in=editions_filtered(filters).values("pk"),
        session__start__lte=timezone.now(),
    )
    if filters.company:
        records = records.filter(enrolment__sponsor_company_id=filters.company)
    rows = (
        records.values("session_id")
        .annotate(
            edition=F("session__edition__code"),
            start=F("session__start"),
            absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
            excused=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED)),
        )
        .filter(Q(absent__gt=0) | Q(excused__gt=0))
        .order_by("-absent", "-excused", "start")[:SESSION_ROWS]
    )
    figures = Figures(columns=[_("Session"), _("Absent"), _("Excused")], charted=(1, 2))
    for row in rows:
        start = timezone.localtime(row["start"])
        label = f"{row['edition']} {start:%Y-%m-%d %H:%M}"
        figures.rows.append([label, row["absent"], row["excused"]])
    return figures


def attendance_report(*, filters: ReportFilters) -> Figures:
    if filters.by == "session":
        return absences_by_session(filters=filters)
    return attendance_by_edition(filters=filters)


def at_risk_now(*, company: int | None = None) -> int:
    """Trainees at risk in the editions running now."""
    enrolments = Enrolment.objects.filter(
        edition__status="in_progress", status=EnrolmentStatus.CONFIRMED
    ).select_related("edition")
    if company:
        enrolments = enrolments.filter(sponsor_company_id=company)
    figures = enrolments_attendance(enrolments=list(enrolments))
    return sum(row.at_risk for row in figures.values())
