"""Demo registers complete for an audit (issue 26): every held session with
marks gets its topics covered, teacher, tutor and actual times, every attended
record its entry and exit, and one session
of the live edition a scanned sign-in sheet (generated at load time: the
printable sheet itself, as if signed and scanned).

Idempotent: a register's details or a scan that exists is kept.
"""

import datetime as dt
import hashlib
from collections import Counter

from django.conf import settings
from django.core.files.base import ContentFile

from attendance.models import (
    ATTENDED_STATUSES,
    AttendanceRecord,
    AttendanceStatus,
    RegisterScan,
    SessionRegister,
)
from attendance.selectors import confirmed_enrolments
from attendance.sign_in_sheet import SignInSheetPDF
from courses.models import CourseEdition
from people.models import User


def _details(*, session, topics: list[str], number: int, teacher, tutor) -> dict:
    return {
        "topics_covered": topics[number % len(topics)],
        "teacher": teacher,
        "tutor": tutor,
        "started_at": session.start + dt.timedelta(minutes=5),
        "ended_at": session.end,
    }


def _scan_add(*, session, uploader, created: Counter) -> None:
    if RegisterScan.objects.filter(session=session).exists():
        return
    enrolments = list(confirmed_enrolments(edition_id=session.edition_id))
    _, _, content = SignInSheetPDF(
        session=session, enrolments=enrolments, school=settings.MAKERS_SCHOOL_NAME
    ).generate()
    scan = RegisterScan(
        session=session,
        original_name="foglio-firme-scansione.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=uploader,
        uploaded_at=session.end,
    )
    scan.file.save("scan.pdf", ContentFile(content), save=False)
    scan.save()
    created["sign-in sheet scans"] += 1


def _times_fill(*, edition: CourseEdition) -> None:
    """Entry and exit for the edition's attended records written without them
    (by other demo modules), as a register mark would have set them."""
    records = AttendanceRecord.objects.filter(
        session__edition=edition,
        status__in=ATTENDED_STATUSES,
        entered_at__isnull=True,
    ).select_related("session")
    for record in records:
        session, length = record.session, dt.timedelta(minutes=record.minutes_present)
        record.entered_at, record.exited_at = session.start, session.end
        if record.status == AttendanceStatus.LATE:
            record.entered_at = session.end - length
        elif record.status == AttendanceStatus.LEFT_EARLY:
            record.exited_at = session.start + length
        record.save(update_fields=["entered_at", "exited_at"])


def _marked_sessions(edition: CourseEdition):
    """The held sessions with marks: what the demo's registers recorded, the
    same on every load whatever the hour (a second load adds nothing)."""
    return (
        edition.sessions.filter(cancelled=False, attendance_records__isnull=False)
        .distinct()
        .order_by("start")
    )


def registers_complete(
    *,
    spec: dict,
    users: dict[str, User],
    editions: list[CourseEdition],
    created: Counter,
) -> None:
    tutor = users[spec["tutor"]]
    for edition in editions:
        _times_fill(edition=edition)
        for number, session in enumerate(_marked_sessions(edition)):
            teacher = session.instructor or edition.instructors.first()
            _, made = SessionRegister.objects.get_or_create(
                session=session,
                defaults=_details(
                    session=session,
                    topics=spec["topics"],
                    number=number,
                    teacher=teacher,
                    tutor=tutor if tutor != teacher else None,
                ),
            )
            created["register details"] += made
    scanned = _marked_sessions(editions[0]).first()
    if scanned is not None:
        _scan_add(session=scanned, uploader=users[spec["tutor"]], created=created)
