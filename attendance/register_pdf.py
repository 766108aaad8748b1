"""An edition's attendance register as a PDF (reportlab platypus).

AttendanceRegisterPDF is one renderer class in the style of pretix's invoice
renderer: layout as class attributes, small hooks, generate() returning
(filename, mimetype, bytes). Landscape A4; one row per trainee, one column per
session (in groups of SESSIONS_PER_TABLE so a 30-session edition stays legible),
a line for the instructor's signature under every session and signature lines at
the end; "page x of y" on every page. The school's name and address are passed
in (attendance cannot read the site's settings, which live in a higher app;
callers pass settings.MAKERS_SCHOOL_NAME or the site's own).
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape  # nosec B406 - reportlab markup; parses nothing

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .models import AttendanceStatus, attendance_code, attendance_legend
from .selectors import EditionAttendance

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONTS: tuple[str, str] | None = None


def register_fonts() -> tuple[str, str]:
    """DejaVu Sans (every Italian letter) where installed, else Helvetica.
    Registered once per process."""
    global _FONTS
    if _FONTS is None:
        regular, bold = (
            DEJAVU_DIR / "DejaVuSans.ttf",
            DEJAVU_DIR / "DejaVuSans-Bold.ttf",
        )
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            _FONTS = ("DejaVuSans", "DejaVuSans-Bold")
        else:  # pragma: no cover - fonts-dejavu-core is installed by .ci/run
            _FONTS = ("Helvetica", "Helvetica-Bold")
    return _FONTS


def status_codes() -> dict[str, str]:
    """The short code of each status, for the register's cells (and its legend);
    the one source is attendance.models.ATTENDANCE_CODES."""
    return {status: attendance_code(status) for status in AttendanceStatus.values}


def legend_text() -> str:
    """ "P = Present · ... · under L and LE the minutes present", in the active
    language, from the same codes as the cells."""
    parts = [f"{code} = {label}" for code, label in attendance_legend()]
    minutes = _("under %(late)s and %(left_early)s the minutes present") % {
        "late": attendance_code(AttendanceStatus.LATE),
        "left_early": attendance_code(AttendanceStatus.LEFT_EARLY),
    }
    return " · ".join([*parts, minutes])


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{number_format(value, decimal_pos=1)} %"


class _NumberedCanvas(pdf_canvas.Canvas):
    """Defers each page so the footer can say "page x of y"."""

    footer_font = "Helvetica"
    footer_text = "%(page)d / %(pages)d"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(self.footer_font, 7)
            self.drawRightString(
                self._pagesize[0] - 12 * mm,
                7 * mm,
                self.footer_text % {"page": self._pageNumber, "pages": total},
            )
            super().showPage()
        super().save()


class AttendanceRegisterPDF:
    pagesize = landscape(A4)
    margin = 12 * mm
    name_width = 52 * mm
    total_width = 16 * mm
    SESSIONS_PER_TABLE = 15
    font_size = 7.5
    header_color = colors.HexColor("#0066cc")
    cancelled_color = colors.HexColor("#e6e6e6")

    def __init__(
        self,
        summary: EditionAttendance,
        *,
        school_name: str,
        school_address: str = "",
    ):
        self.summary = summary
        self.edition = summary.edition
        self.school_name = school_name
        self.school_address = school_address
        self.font, self.bold = register_fonts()
        self.codes = status_codes()

    # -- hooks ---------------------------------------------------------------
    def title(self) -> str:
        return _("Attendance register")

    def filename(self) -> str:
        return f"{self.edition.code}-register.pdf"

    def _style(self, size: float | None = None, bold: bool = False) -> ParagraphStyle:
        return ParagraphStyle(
            "register",
            fontName=self.bold if bold else self.font,
            fontSize=size or self.font_size,
            leading=(size or self.font_size) * 1.25,
        )

    def header(self) -> list:
        edition = self.edition
        held = self.summary.held_sessions
        first = timezone.localtime(held[0].start) if held else None
        last = timezone.localtime(held[-1].end) if held else None
        dates = f"{first:%d/%m/%Y} – {last:%d/%m/%Y}" if first else "—"
        # Paragraph reads its text as markup (<img src>, <a href>): every text
        # is escaped, so a name or title prints as typed and embeds nothing.
        lines = [
            Paragraph(escape(self.school_name), self._style(13, bold=True)),
            Paragraph(escape(self.school_address), self._style(8)),
            Spacer(1, 3 * mm),
            Paragraph(
                escape(f"{self.title()} · {edition.code} · {edition.course.title}"),
                self._style(11, bold=True),
            ),
            Paragraph(
                escape(
                    _(
                        "Dates: %(dates)s · Venue: %(venue)s · Minimum attendance: "
                        "%(minimum)s %% · Trainees: %(count)s"
                    )
                    % {
                        "dates": dates,
                        "venue": edition.venue.localized_name,
                        "minimum": edition.min_attendance_percent,
                        "count": len(self.summary.trainees),
                    }
                ),
                self._style(8),
            ),
            Paragraph(escape(self.legend()), self._style(7)),
            Spacer(1, 3 * mm),
        ]
        return lines

    def legend(self) -> str:
        return legend_text()

    def cell(self, trainee, session) -> str:
        if session.cancelled:
            return "—"
        record = trainee.marks.get(session.pk)
        if record is None:
            return ""
        code = self.codes[record.status]
        if record.status in (AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY):
            return f"{code}\n{record.minutes_present}'"
        return code

    # -- body ----------------------------------------------------------------
    def table_rows(self, sessions: list, last: bool) -> list[list]:
        """Heading (dates), one row per trainee, the instructor's signature row;
        the last table of the register also carries each trainee's total."""
        head = [_("Trainee")]
        for session in sessions:
            start = timezone.localtime(session.start)
            label = f"{start:%d/%m}\n{start:%H:%M}"
            head.append(label + ("\n" + _("canc.") if session.cancelled else ""))
        if last:
            head.append(_("Total"))
        rows = [head]
        for trainee in self.summary.trainees:
            person = trainee.enrolment.trainee
            name = f"{person.last_name} {person.first_name}".strip() or person.email
            row = [name[:40]]
            row += [self.cell(trainee, session) for session in sessions]
            if last:
                row.append(_percent(trainee.percent))
            rows.append(row)
        signature = [_("Instructor's signature")] + [""] * len(sessions)
        if last:
            signature.append("")
        rows.append(signature)
        return rows

    def column_widths(self, sessions: list, last: bool) -> list[float]:
        available = self.pagesize[0] - 2 * self.margin - self.name_width
        if last:
            available -= self.total_width
        width = available / max(len(sessions), 1)
        widths = [self.name_width] + [width] * len(sessions)
        if last:
            widths.append(self.total_width)
        return widths

    def table_style(self, sessions: list) -> TableStyle:
        style = [
            ("FONT", (0, 0), (-1, -1), self.font, self.font_size),
            ("FONT", (0, 0), (-1, 0), self.bold, self.font_size - 0.5),
            ("BACKGROUND", (0, 0), (-1, 0), self.header_color),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            (
                "ROWBACKGROUNDS",
                (0, 1),
                (-1, -2),
                [colors.white, colors.HexColor("#f5f8fb")],
            ),
            ("FONT", (0, -1), (0, -1), self.bold, self.font_size - 0.5),
            ("TOPPADDING", (0, -1), (-1, -1), 9),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
        ]
        for column, session in enumerate(sessions, start=1):
            if session.cancelled:
                style.append(
                    ("BACKGROUND", (column, 1), (column, -1), self.cancelled_color)
                )
        return TableStyle(style)

    def session_table(self, sessions: list, last: bool) -> Table:
        table = Table(
            self.table_rows(sessions, last),
            colWidths=self.column_widths(sessions, last),
            repeatRows=1,
        )
        table.setStyle(self.table_style(sessions))
        return table

    def signatures(self) -> list:
        line = "_" * 38
        table = Table(
            [
                [_("The instructor(s)"), "", _("For the school"), ""],
                [line, "", line, ""],
                [_("Date") + ": " + "_" * 20, "", _("Date") + ": " + "_" * 20, ""],
            ],
            colWidths=[80 * mm, 20 * mm, 80 * mm, 20 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, 8),
                    ("TOPPADDING", (0, 1), (-1, 1), 14),
                ]
            )
        )
        return [Spacer(1, 8 * mm), KeepTogether([table])]

    def story(self) -> list:
        story = self.header()
        sessions = self.summary.sessions
        groups = [
            sessions[i : i + self.SESSIONS_PER_TABLE]
            for i in range(0, len(sessions), self.SESSIONS_PER_TABLE)
        ] or [[]]
        for number, group in enumerate(groups):
            if number:
                story.append(Spacer(1, 5 * mm))
            story.append(self.session_table(group, last=number == len(groups) - 1))
        story += self.signatures()
        return story

    def generate(self) -> tuple[str, str, bytes]:
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.margin + 2 * mm,
            title=f"{self.title()} {self.edition.code}",
            author=self.school_name,
        )
        font = self.font
        footer = _("Page %(page)d of %(pages)d")

        class Numbered(_NumberedCanvas):
            footer_font = font
            footer_text = footer

        document.build(self.story(), canvasmaker=Numbered)
        return self.filename(), "application/pdf", buffer.getvalue()
