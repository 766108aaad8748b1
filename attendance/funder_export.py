"""An edition's funder export (issue 26): one ZIP to upload to a fund's
reporting portal, holding the audit-grade register (PDF/A-2b), the signed
sign-in sheet scans and a workbook (openpyxl) of hours per trainee and session.

The workbook has three sheets: Hours (one row per trainee, one column per
session, the total), Sessions (planned and actual times, topics planned and
covered, teacher, tutor) and Entries (one row per trainee and session: entry,
exit, hours, status). Hours are numbers with two decimals.
"""

from __future__ import annotations

import io
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .audit_register_pdf import AuditRegisterPDF, register_identifier
from .models import attendance_label
from .selectors import EditionHours

HOURS_FORMAT = "0.00"


def _local(value, fmt: str) -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def _name(user) -> str:
    return f"{user.last_name} {user.first_name}".strip() or user.email if user else ""


def _hours_sheet(book: Workbook, hours: EditionHours) -> None:
    sheet = book.create_sheet(_("Hours"))
    held = hours.held_sessions
    sheet.append(
        [_("Last name"), _("First name"), _("Email")]
        + [_local(s.start, "%Y-%m-%d %H:%M") for s in held]
        + [_("Total hours")]
    )
    for trainee in hours.trainees:
        person = trainee.enrolment.trainee
        values = [trainee.hours(s.pk) for s in held]
        sheet.append(
            [person.last_name, person.first_name, person.email]
            + [float(v) if v is not None else None for v in values]
            + [float(trainee.hours_total)]
        )


def _sessions_sheet(book: Workbook, hours: EditionHours) -> None:
    sheet = book.create_sheet(_("Sessions"))
    sheet.append(
        [
            _("Date"),
            _("Start"),
            _("End"),
            _("Actual start"),
            _("Actual end"),
            _("Hours"),
            _("Planned topic"),
            _("Topics covered"),
            _("Teacher"),
            _("Tutor"),
            _("Cancelled"),
        ]
    )
    for session in hours.sessions:
        register = hours.registers.get(session.pk)
        teacher = (register.teacher if register else None) or session.instructor
        sheet.append(
            [
                _local(session.start, "%Y-%m-%d"),
                _local(session.start, "%H:%M"),
                _local(session.end, "%H:%M"),
                _local(register.started_at, "%H:%M") if register else "",
                _local(register.ended_at, "%H:%M") if register else "",
                round(session.duration_minutes / 60, 2),
                session.topic,
                register.topics_covered if register else "",
                _name(teacher),
                _name(register.tutor) if register else "",
                _("yes") if session.cancelled else "",
            ]
        )


def _entries_sheet(book: Workbook, hours: EditionHours) -> None:
    sheet = book.create_sheet(_("Entries"))
    sheet.append(
        [
            _("Trainee"),
            _("Email"),
            _("Date"),
            _("Entry"),
            _("Exit"),
            _("Hours"),
            _("Status"),
        ]
    )
    sessions = {s.pk: s for s in hours.held_sessions}
    for trainee in hours.trainees:
        person = trainee.enrolment.trainee
        for session_id, session in sessions.items():
            record = trainee.records.get(session_id)
            if record is None:
                continue
            sheet.append(
                [
                    _name(person),
                    person.email,
                    _local(session.start, "%Y-%m-%d"),
                    _local(record.entered_at, "%H:%M"),
                    _local(record.exited_at, "%H:%M"),
                    float(trainee.hours(session_id)),
                    str(attendance_label(record.status)),
                ]
            )


def hours_workbook(hours: EditionHours) -> bytes:
    """The workbook of hours per trainee and session (write-only: fast and lean
    at 40 x 30)."""
    book = Workbook(write_only=True)
    _hours_sheet(book, hours)
    _sessions_sheet(book, hours)
    _entries_sheet(book, hours)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def funder_export(
    *, hours: EditionHours, school_name: str, school_address: str = ""
) -> tuple[str, str, bytes]:
    """The ZIP of an edition's register, scans and hours workbook:
    (filename, mimetype, bytes). Scans are read from private storage."""
    code = hours.edition.code
    buffer = io.BytesIO()
    # Stored, not deflated: the PDF, the workbook and the scans are compressed
    # already; deflating them again costs time and saves nothing.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        name, _mime, pdf = AuditRegisterPDF(
            hours, school_name=school_name, school_address=school_address
        ).generate()
        archive.writestr(name, pdf)
        archive.writestr(f"{code}-hours.xlsx", hours_workbook(hours))
        for number, scan in enumerate(hours.scans, start=1):
            start = timezone.localtime(scan.session.start)
            with scan.file.open("rb") as handle:
                archive.writestr(
                    f"scans/{start:%Y%m%d-%H%M}-{number:02d}.{scan.extension}",
                    handle.read(),
                )
    filename = f"{register_identifier(hours.edition)}-funder-export.zip"
    return filename, "application/zip", buffer.getvalue()
