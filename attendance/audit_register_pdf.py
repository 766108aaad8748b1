"""An edition's register as funders audit it (issue 26), PDF/A-2b (reportlab).

Portrait A4. The first page carries the school, the edition and a blank box for
the funder's stamp (vidimazione); every page the register's identifier and
"page X of Y". Per session: date, planned and actual times, the topics actually
covered, the teacher and the tutor with a signature line each, then per trainee
the entry and exit times, hours and a signature cell. At the end each trainee's
total hours. Cells are plain strings (never markup); free text is escaped.
"""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape  # nosec B406 - reportlab markup; parses nothing

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from core.pdfa import binary_streams, pdfa_canvas_kwargs, pdfa_finish

from .models import attendance_code
from .register_pdf import register_fonts
from .selectors import EditionHours, TraineeHours


def register_identifier(edition) -> str:
    """The register's identifier, printed on every page and named in exports."""
    return f"REG-{edition.code}"


def _hm(value) -> str:
    return f"{timezone.localtime(value):%H:%M}" if value else ""


def _hours(value) -> str:
    return "" if value is None else number_format(value, decimal_pos=2)


def _person(user) -> str:
    if user is None:
        return "—"
    return f"{user.first_name} {user.last_name}".strip() or user.email


def _trainee_name(trainee: TraineeHours) -> str:
    person = trainee.enrolment.trainee
    return (f"{person.last_name} {person.first_name}".strip() or person.email)[:45]


class _PageCanvas(pdf_canvas.Canvas):
    """Defers each page so its footer says "page X of Y" beside the register's
    identifier; finishes the document as PDF/A-2b."""

    font = "DejaVuSans"
    footer = "%(page)d / %(pages)d"
    metadata: dict = {}

    def __init__(self, *args, **kwargs):
        kwargs.update(pdfa_canvas_kwargs(self.font))
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(self.font, 7)
            text = self.footer % {"page": self._pageNumber, "pages": total}
            self.drawRightString(self._pagesize[0] - 12 * mm, 7 * mm, text)
            super().showPage()
        pdfa_finish(self, **self.metadata)
        with binary_streams():
            super().save()


class AuditRegisterPDF:
    pagesize = A4
    margin = 12 * mm
    font_size = 7.5
    # 40 trainees and the session's heading fit one page: one page a session.
    row_height = 5.4 * mm
    header_color = colors.HexColor("#0066cc")
    stamp_size = (70 * mm, 35 * mm)

    def __init__(self, hours: EditionHours, *, school_name: str, school_address=""):
        self.hours = hours
        self.edition = hours.edition
        self.school_name = school_name
        self.school_address = school_address
        self.font, self.bold = register_fonts()
        self.identifier = register_identifier(self.edition)

    def title(self) -> str:
        return _("Attendance register")

    def filename(self) -> str:
        return f"{self.edition.code}-register.pdf"

    def _style(self, size: float | None = None, bold: bool = False) -> ParagraphStyle:
        size = size or self.font_size
        return ParagraphStyle(
            "register",
            fontName=self.bold if bold else self.font,
            fontSize=size,
            leading=size * 1.25,
        )

    def _text(self, text: str, size=None, bold=False) -> Paragraph:
        return Paragraph(escape(text), self._style(size, bold))

    def header(self) -> list:
        """School and edition at the left, the funder's stamp box at the right."""
        edition = self.edition
        held = self.hours.held_sessions
        dates = (
            f"{timezone.localtime(held[0].start):%d/%m/%Y} – "
            f"{timezone.localtime(held[-1].end):%d/%m/%Y}"
            if held
            else "—"
        )
        left = [
            self._text(self.school_name, 12, bold=True),
            self._text(self.school_address, 8),
            Spacer(1, 2 * mm),
            self._text(f"{self.title()} · {self.identifier}", 11, bold=True),
            self._text(f"{edition.code} · {edition.course.title}", 9, bold=True),
            self._text(
                _(
                    "Dates: %(dates)s · Venue: %(venue)s · Sessions: %(sessions)s · "
                    "Hours planned: %(hours)s · Trainees: %(count)s"
                )
                % {
                    "dates": dates,
                    "venue": edition.venue.localized_name,
                    "sessions": len(held),
                    "hours": _hours(self.hours.hours_planned),
                    "count": len(self.hours.trainees),
                },
                8,
            ),
        ]
        stamp = self._text(_("Reserved for the funder's stamp (vidimazione)"), 7)
        table = Table(
            [[left, stamp]],
            colWidths=[self.pagesize[0] - 2 * self.margin - self.stamp_size[0], None],
            rowHeights=[self.stamp_size[1]],
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, 8),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BOX", (1, 0), (1, 0), 0.8, colors.black),
                ]
            )
        )
        return [table, Spacer(1, 4 * mm)]

    def session_heading(self, number: int, session) -> list:
        register = self.hours.registers.get(session.pk)
        start, end = timezone.localtime(session.start), timezone.localtime(session.end)
        actual = "—"
        if register and register.started_at:
            actual = f"{_hm(register.started_at)}–{_hm(register.ended_at)}"
        line = _(
            "Session %(number)s of %(total)s · %(date)s · planned %(start)s–%(end)s "
            "· actual %(actual)s"
        ) % {
            "number": number,
            "total": len(self.hours.sessions),
            "date": f"{start:%d/%m/%Y}",
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
            "actual": actual,
        }
        if session.room:
            line += f" · {session.room}"
        covered = register.topics_covered if register else ""
        parts = [
            self._text(line, 9, bold=True),
            self._text(_("Planned topic: %(topic)s") % {"topic": session.topic}, 7.5),
            self._text(_("Topics covered: %(topics)s") % {"topics": covered or "—"}, 8),
        ]
        teacher = register.teacher if register and register.teacher else None
        tutor = register.tutor if register else None
        signature = "_" * 30
        people = Table(
            [
                [
                    _("Teacher: %(name)s")
                    % {"name": _person(teacher or session.instructor)},
                    signature,
                    _("Tutor: %(name)s") % {"name": _person(tutor)},
                    signature,
                ]
            ],
            colWidths=[52 * mm, 41 * mm, 52 * mm, 41 * mm],
        )
        people.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, 7.5),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ]
            )
        )
        return [*parts, people]

    def trainee_rows(self, session) -> list[list[str]]:
        head = [_("Trainee"), _("Entry"), _("Exit"), _("Hours"), _("Signature")]
        rows = [head]
        for number, trainee in enumerate(self.hours.trainees, start=1):
            record = trainee.records.get(session.pk)
            hours = trainee.hours(session.pk)
            shown = ""
            if record is not None:
                minutes = trainee.minutes.get(session.pk, 0)
                shown = f"{_hours(hours)} ({minutes}') {attendance_code(record.status)}"
            rows.append(
                [
                    f"{number}. {_trainee_name(trainee)}",
                    _hm(record.entered_at) if record else "",
                    _hm(record.exited_at) if record else "",
                    shown,
                    "",
                ]
            )
        return rows

    def grid(self, rows: list[list[str]], widths: list[float]) -> Table:
        table = Table(
            rows,
            colWidths=widths,
            rowHeights=[5 * mm] + [self.row_height] * (len(rows) - 1),
            repeatRows=1,
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, self.font_size),
                    ("FONT", (0, 0), (-1, 0), self.bold, self.font_size),
                    ("BACKGROUND", (0, 0), (-1, 0), self.header_color),
                    ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ]
            )
        )
        return table

    def session_block(self, number: int, session) -> list:
        block = [PageBreak(), *self.session_heading(number, session)]
        if session.cancelled:
            return [*block, self._text(_("Session cancelled."), 8, bold=True)]
        widths = [70 * mm, 16 * mm, 16 * mm, 30 * mm, 54 * mm]
        return [
            *block,
            Spacer(1, 1 * mm),
            self.grid(self.trainee_rows(session), widths),
        ]

    def totals(self) -> list:
        planned = self.hours.hours_planned
        rows = [["#", _("Trainee"), _("Hours attended"), _("Hours planned"), "%"]]
        for number, trainee in enumerate(self.hours.trainees, start=1):
            percent = (
                number_format(100 * trainee.hours_total / planned, decimal_pos=1)
                if planned
                else "—"
            )
            rows.append(
                [
                    str(number),
                    _trainee_name(trainee),
                    _hours(trainee.hours_total),
                    _hours(planned),
                    percent,
                ]
            )
        widths = [8 * mm, 82 * mm, 32 * mm, 32 * mm, 32 * mm]
        return [
            PageBreak(),
            self._text(_("Total hours per trainee"), 10, bold=True),
            Spacer(1, 1 * mm),
            self.grid(rows, widths),
            Spacer(1, 10 * mm),
            self._text(
                _("For the school (name, signature, date): %(line)s")
                % {"line": "_" * 50},
                8,
            ),
        ]

    def index(self) -> list:
        """The first page's list of sessions: date, times, hours, teacher."""
        rows = [[_("Session"), _("Date"), _("Times"), _("Hours"), _("Teacher")]]
        for number, session in enumerate(self.hours.sessions, start=1):
            register = self.hours.registers.get(session.pk)
            teacher = (register.teacher if register else None) or session.instructor
            start = timezone.localtime(session.start)
            rows.append(
                [
                    str(number),
                    f"{start:%d/%m/%Y}",
                    f"{start:%H:%M}–{_hm(session.end)}",
                    _("cancelled")
                    if session.cancelled
                    else _hours(Decimal(session.duration_minutes) / 60),
                    _person(teacher)[:50],
                ]
            )
        widths = [18 * mm, 28 * mm, 30 * mm, 24 * mm, 86 * mm]
        table = self.grid(rows, widths)
        return [self._text(_("Sessions"), 10, bold=True), Spacer(1, 1 * mm), table]

    def story(self) -> list:
        story = self.header() + self.index()
        for number, session in enumerate(self.hours.sessions, start=1):
            story += self.session_block(number, session)
        return story + self.totals()

    def generate(self) -> tuple[str, str, bytes]:
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.margin + 2 * mm,
        )
        title = f"{self.title()} {self.identifier}"

        class Pages(_PageCanvas):
            font = self.font
            footer = (
                self.identifier.replace("%", "%%")
                + " · "
                + _("Page %(page)d of %(pages)d")
            )
            metadata = {
                "title": title,
                "author": self.school_name,
                "subject": f"{self.edition.code} · {self.edition.course.title}",
            }

        document.build(self.story(), canvasmaker=Pages)
        return self.filename(), "application/pdf", buffer.getvalue()
