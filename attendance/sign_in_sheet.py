"""The paper fallback for a lab without network (issue 26): a session's
printable sign-in sheet (reportlab canvas, PDF/A-2b like the register).

A4 portrait: the session (edition, date, times, planned topic), a QR code that
identifies it (segno; scanned back from the signed copy), blank cells for the
topics covered, the teacher's and the tutor's signatures, then one row per
confirmed trainee with blank entry, exit and signature cells.
"""

from __future__ import annotations

import io

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas

from core.pdfa import binary_streams, pdfa_canvas_kwargs, pdfa_finish
from courses.models import Session
from enrolment.models import Enrolment

from .register_pdf import register_fonts


def session_code(session: Session) -> str:
    """What the sheet's QR code holds: enough to find the session again."""
    start = timezone.localtime(session.start)
    return f"MAKERS-SESSION:{session.pk}:{session.edition.code}:{start:%Y-%m-%dT%H:%M}"


class SignInSheetPDF:
    pagesize = A4
    margin = 15 * mm
    row_height = 9 * mm
    qr_size = 28 * mm

    def __init__(self, *, session: Session, enrolments: list[Enrolment], school: str):
        self.session = session
        self.enrolments = enrolments
        self.school = school
        self.font, self.bold = register_fonts()

    def filename(self) -> str:
        start = timezone.localtime(self.session.start)
        return f"{self.session.edition.code}-{start:%Y%m%d-%H%M}-sign-in.pdf"

    def _qr(self, c, x: float, y: float) -> None:
        """The QR code as filled squares (vector, no image to embed)."""
        qr = segno.make(session_code(self.session), error="m")
        matrix = [list(row) for row in qr.matrix_iter(border=0)]
        module = self.qr_size / len(matrix)
        c.setFillGray(0)
        for r, row in enumerate(matrix):
            for col, dark in enumerate(row):
                if dark:
                    c.rect(
                        x + col * module,
                        y + self.qr_size - (r + 1) * module,
                        module,
                        module,
                        stroke=0,
                        fill=1,
                    )

    def _heading(self, c, top: float) -> float:
        session, width = self.session, self.pagesize[0]
        start, end = timezone.localtime(session.start), timezone.localtime(session.end)
        c.setFont(self.bold, 12)
        c.drawString(self.margin, top, _("Sign-in sheet"))
        c.setFont(self.font, 9)
        lines = [
            self.school,
            f"{session.edition.code} · {session.edition.course.title}"[:95],
            f"{start:%d/%m/%Y} · {start:%H:%M}–{end:%H:%M}"
            + (f" · {session.room}" if session.room else ""),
            (_("Planned topic: %(topic)s") % {"topic": session.topic})[:95],
        ]
        for number, line in enumerate(lines, start=1):
            c.drawString(self.margin, top - number * 5 * mm, line)
        self._qr(c, width - self.margin - self.qr_size, top - self.qr_size + 4 * mm)
        y = top - 30 * mm
        c.drawString(self.margin, y, _("Topics covered:"))
        c.line(self.margin + 30 * mm, y - 1, width - self.margin, y - 1)
        c.line(self.margin, y - 7 * mm, width - self.margin, y - 7 * mm)
        y -= 15 * mm
        half = (width - 2 * self.margin) / 2
        c.drawString(self.margin, y, _("Teacher (name, signature):"))
        c.drawString(self.margin + half, y, _("Tutor (name, signature):"))
        c.line(self.margin, y - 8 * mm, self.margin + half - 5 * mm, y - 8 * mm)
        c.line(self.margin + half, y - 8 * mm, width - self.margin, y - 8 * mm)
        c.drawString(
            self.margin, y - 14 * mm, _("Actual start: ______   Actual end: ______")
        )
        return y - 22 * mm

    def _table_head(self, c, y: float) -> float:
        c.setFont(self.bold, 9)
        columns = self._columns()
        for label, x in zip(
            [_("Trainee"), _("Entry"), _("Exit"), _("Signature")], columns, strict=False
        ):
            c.drawString(x + 1.5 * mm, y - 5 * mm, label)
        c.rect(self.margin, y - 7 * mm, self.pagesize[0] - 2 * self.margin, 7 * mm)
        c.setFont(self.font, 9)
        return y - 7 * mm

    def _columns(self) -> list[float]:
        return [self.margin + offset * mm for offset in (0, 75, 97, 119)]

    def generate(self) -> tuple[str, str, bytes]:
        buffer = io.BytesIO()
        c = pdf_canvas.Canvas(
            buffer, pagesize=self.pagesize, **pdfa_canvas_kwargs(self.font)
        )
        width, height = self.pagesize
        y = self._table_head(c, self._heading(c, height - self.margin - 5 * mm))
        page = 1
        for number, enrolment in enumerate(self.enrolments, start=1):
            if y - self.row_height < self.margin + 10 * mm:
                c.setFont(self.font, 7)
                c.drawRightString(width - self.margin, 8 * mm, str(page))
                c.showPage()
                page += 1
                y = self._table_head(c, height - self.margin)
            person = enrolment.trainee
            name = f"{person.last_name} {person.first_name}".strip() or person.email
            c.drawString(self.margin + 1.5 * mm, y - 6 * mm, f"{number}. {name}"[:48])
            c.rect(
                self.margin,
                y - self.row_height,
                width - 2 * self.margin,
                self.row_height,
            )
            for x in self._columns()[1:]:
                c.line(x, y, x, y - self.row_height)
            y -= self.row_height
        c.setFont(self.font, 7)
        c.drawRightString(width - self.margin, 8 * mm, str(page))
        c.showPage()
        pdfa_finish(
            c,
            title=_("Sign-in sheet") + f" {session_code(self.session)}",
            author=self.school,
            subject=self.session.edition.code,
        )
        with binary_streams():
            c.save()
        return self.filename(), "application/pdf", buffer.getvalue()
