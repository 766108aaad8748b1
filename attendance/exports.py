"""An edition's attendance register as a file: the PDF (attendance.register_pdf)
or a CSV, and the download both the staff screen and the instructor's page
serve."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from enrolment.exports import csv_delimiter, csv_safe_bytes

from .audit_register_pdf import AuditRegisterPDF
from .register_pdf import AttendanceRegisterPDF, legend_text, status_codes
from .selectors import EditionAttendance, edition_hours_attended

__all__ = [
    "AttendanceRegisterPDF",
    "legend_text",
    "register_csv",
    "register_download",
    "register_file",
]


def register_csv(summary: EditionAttendance) -> tuple[str, str, bytes]:
    """The same register as CSV: one row per trainee, one column per session
    (status and minutes), then minutes, %, minimum reachable, mandatory missed.
    Every field quoted and neutralised against formula injection."""
    codes = status_codes()
    sessions = summary.sessions
    header = [_("Last name"), _("First name"), _("Email")]
    for session in sessions:
        start = timezone.localtime(session.start)
        label = f"{start:%Y-%m-%d %H:%M}"
        header.append(f"{label} ({_('cancelled')})" if session.cancelled else label)
    header += [
        _("Minutes present"),
        _("Minutes of the sessions"),
        _("Attendance %"),
        _("Minimum still reachable"),
        _("Mandatory sessions missed"),
    ]
    rows = [header]
    for trainee in summary.trainees:
        person = trainee.enrolment.trainee
        row = [person.last_name, person.first_name, person.email]
        for session in sessions:
            record = trainee.marks.get(session.pk)
            if session.cancelled or record is None:
                row.append("")
            else:
                row.append(f"{codes[record.status]} {record.minutes_present}")
        row += [
            trainee.minutes_present,
            trainee.minutes_total,
            # In the reader's decimal style, as the separator: Italian Excel
            # reads "16.7" as a date (16 July), "16,7" as a number.
            ""
            if trainee.percent is None
            else number_format(trainee.percent, decimal_pos=1),
            _("yes") if trainee.reachable else _("no"),
            len(trainee.missed_mandatory),
        ]
        rows.append(row)
    filename = f"{summary.edition.code}-register.csv"
    # ";" in Italian, as Italian Excel and LibreOffice expect (a "," file opens
    # in one column there), "," in English; the BOM makes Excel read UTF-8.
    content = csv_safe_bytes(rows, delimiter=csv_delimiter())
    return filename, "text/csv; charset=utf-8", content


def register_file(*, summary: EditionAttendance, fmt: str) -> tuple[str, str, bytes]:
    """The edition's register as "pdf" (the audit-grade register, PDF/A-2b),
    "grid" (the one-table overview, PDF) or "csv": (filename, mimetype, bytes).

    The staff screen and the instructor's page serve the same files; an unknown
    format is a LookupError (the views answer 404).
    """
    if fmt == "pdf":
        return AuditRegisterPDF(
            edition_hours_attended(edition=summary.edition),
            school_name=settings.MAKERS_SCHOOL_NAME,
            school_address=settings.MAKERS_SCHOOL_ADDRESS,
        ).generate()
    if fmt == "grid":
        filename, mimetype, content = AttendanceRegisterPDF(
            summary,
            school_name=settings.MAKERS_SCHOOL_NAME,
            school_address=settings.MAKERS_SCHOOL_ADDRESS,
        ).generate()
        return filename.replace("-register", "-register-grid"), mimetype, content
    if fmt == "csv":
        return register_csv(summary)
    raise LookupError(fmt)


def register_download(*, summary: EditionAttendance, fmt: str) -> HttpResponse:
    """The register file as a download that no shared cache or browser history
    keeps (it holds people's names and attendance).
    An unknown format raises Http404."""
    try:
        filename, mimetype, content = register_file(summary=summary, fmt=fmt)
    except LookupError as unknown:
        raise Http404 from unknown
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
