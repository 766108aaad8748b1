"""The certificate as a PDF: one reportlab renderer class, in pretix's manner.

A4 landscape, Italian and English side by side (the document is bilingual by
design, so its fixed wording lives here in both languages rather than in the
translation catalogue), with the school's header and logo, what was certified,
the serial number, and a QR code to the verification page. Fonts are embedded
TTFs (DejaVu from Debian's fonts-dejavu-core, else reportlab's own Vera), so
accented names print right. The QR code is drawn as one path (reportlab's QR
widget draws ~2,000 rectangles and costs most of the render time).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape  # nosec B406 - reportlab markup; parses nothing

import reportlab
import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Table, TableStyle

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
VERA = Path(reportlab.__file__).parent / "fonts"
FONT_FILES = {
    "MakersSans": [DEJAVU / "DejaVuSans.ttf", VERA / "Vera.ttf"],
    "MakersSans-Bold": [DEJAVU / "DejaVuSans-Bold.ttf", VERA / "VeraBd.ttf"],
    "MakersSans-Oblique": [DEJAVU / "DejaVuSans-Oblique.ttf", VERA / "VeraIt.ttf"],
}


def fonts_register() -> None:
    """Register the embedded fonts once per process (DejaVu, else Vera)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, candidates in FONT_FILES.items():
        if name in registered:
            continue
        path = next(p for p in candidates if p.exists())
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        "MakersSans",
        normal="MakersSans",
        bold="MakersSans-Bold",
        italic="MakersSans-Oblique",
        boldItalic="MakersSans-Bold",
    )


@dataclass(frozen=True)
class Issuer:
    """Who issues: printed in the header and kept in every certificate's snapshot.

    The caller passes it in (from Django settings by default; certificates does
    not read the CMS).
    """

    name: str
    organisation: str
    address: str
    place: str
    country: str = "IT"
    legal_identifier: str = ""
    url: str = ""
    logo_path: str = ""


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _percent(value: Decimal, decimal_mark: str) -> str:
    text = f"{Decimal(value):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal_mark) + " %"


class CertificateRenderer:
    """Draws one certificate. Layout as class attributes; generate() returns
    (filename, mimetype, bytes)."""

    pagesize = landscape(A4)
    margin = 16 * mm
    qr_size = 30 * mm
    logo_size = 18 * mm
    colour = colors.HexColor("#0b4f8a")  # the school's blue
    grey = colors.HexColor("#4d4d4d")
    font = "MakersSans"
    font_bold = "MakersSans-Bold"
    font_oblique = "MakersSans-Oblique"

    labels = {
        "title": ("Attestato di competenze", "Certificate of competence"),
        "certify": ("Si attesta che", "This is to certify that"),
        "attended": (
            "ha frequentato il corso",
            "has attended the course",
        ),
        "code": ("Codice corso", "Course code"),
        "edition": ("Edizione", "Edition"),
        "dates": ("dal {start} al {end}", "from {start} to {end}"),
        "hours": ("{hours} ore", "{hours} hours"),
        "attendance": ("frequenza {percent}", "attendance {percent}"),
        "eqf": ("Livello EQF {level}", "EQF level {level}"),
        "competencies": ("Competenze acquisite", "Competencies achieved"),
        "issued": ("Luogo e data di rilascio", "Place and date of issue"),
        "serial": ("N.", "No."),
        "signed": (
            "Documento firmato digitalmente dalla scuola",
            "Digitally signed by the school",
        ),
        "verify": ("Verifica l'autenticità", "Verify it"),
        "valid_until": ("Valido fino al", "Valid until"),
        "replaces": ("Sostituisce", "Replaces"),
    }

    def __init__(self, *, certificate, issuer: Issuer, verification_url: str):
        self.certificate = certificate
        self.issuer = issuer
        self.verification_url = verification_url
        fonts_register()

    # -- hooks -------------------------------------------------------------------

    def filename(self) -> str:
        return f"{self.certificate.serial}.pdf"

    def both(self, key: str, **params) -> tuple[str, str]:
        italian, english = self.labels[key]
        return italian.format(**params), english.format(**params)

    # -- drawing -----------------------------------------------------------------

    def generate(self) -> tuple[str, str, bytes]:
        buffer = BytesIO()
        c = canvas.Canvas(
            buffer,
            pagesize=self.pagesize,
            pageCompression=1,
            initialFontName=self.font,
        )
        cert = self.certificate
        c.setTitle(f"{self.labels['title'][0]} {cert.serial}")
        c.setAuthor(self.issuer.name)
        c.setSubject(f"{cert.holder_full_name} · {cert.course_code}")
        c.setCreator(self.issuer.name)
        self.draw_frame(c)
        self.draw_header(c)
        self.draw_body(c)
        self.draw_competencies(c)
        self.draw_footer(c)
        c.showPage()
        c.save()
        return self.filename(), "application/pdf", buffer.getvalue()

    def draw_frame(self, c: canvas.Canvas) -> None:
        width, height = self.pagesize
        c.setStrokeColor(self.colour)
        c.setLineWidth(2)
        c.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
        c.setLineWidth(0.5)
        c.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)

    def draw_logo(self, c: canvas.Canvas, x: float, y: float) -> None:
        size = self.logo_size
        logo = self.issuer.logo_path
        if logo and Path(logo).is_file():
            c.drawImage(logo, x, y, size, size, preserveAspectRatio=True, mask="auto")
            return
        # No logo file configured: the school's monogram, drawn.
        c.setFillColor(self.colour)
        c.roundRect(x, y, size, size, 2 * mm, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont(self.font_bold, 20)
        c.drawCentredString(x + size / 2, y + size / 2 - 7, "MS")

    def draw_header(self, c: canvas.Canvas) -> None:
        width, height = self.pagesize
        top = height - self.margin
        self.draw_logo(c, self.margin, top - self.logo_size)
        x = self.margin + self.logo_size + 5 * mm
        c.setFillColor(self.colour)
        c.setFont(self.font_bold, 16)
        c.drawString(x, top - 6 * mm, self.issuer.name)
        c.setFillColor(self.grey)
        c.setFont(self.font, 9)
        c.drawString(x, top - 11 * mm, self.issuer.organisation)
        c.drawString(x, top - 15 * mm, self.issuer.address)
        c.setFont(self.font_bold, 11)
        c.setFillColor(colors.black)
        serial_it, serial_en = self.both("serial")
        c.drawRightString(
            width - self.margin,
            top - 6 * mm,
            f"{serial_it} / {serial_en} {self.certificate.serial}",
        )

    def draw_body(self, c: canvas.Canvas) -> None:
        width, height = self.pagesize
        y = height - self.margin - 32 * mm
        self.draw_holder(c, centre=width / 2, y=y)
        y_next = self.draw_course(c, centre=width / 2, y=y - 45 * mm)
        self.draw_course_facts(c, centre=width / 2, y=y_next)
        self.competencies_top = y_next - 16 * mm

    def draw_holder(self, c: canvas.Canvas, *, centre: float, y: float) -> None:
        """The title, in both languages, and whom it certifies."""
        title_it, title_en = self.both("title")
        c.setFillColor(self.colour)
        c.setFont(self.font_bold, 26)
        c.drawCentredString(centre, y, title_it.upper())
        c.setFont(self.font_oblique, 14)
        c.drawCentredString(centre, y - 7 * mm, title_en)

        c.setFillColor(colors.black)
        c.setFont(self.font, 11)
        c.drawCentredString(centre, y - 17 * mm, " / ".join(self.both("certify")))
        c.setFont(self.font_bold, 26)
        c.drawCentredString(centre, y - 28 * mm, self.certificate.holder_full_name)
        c.setFont(self.font, 11)
        c.drawCentredString(centre, y - 36 * mm, " / ".join(self.both("attended")))

    def draw_course(self, c: canvas.Canvas, *, centre: float, y: float) -> float:
        """The course's title (and its English one); returns where text goes on."""
        cert = self.certificate
        c.setFont(self.font_bold, 17)
        c.setFillColor(self.colour)
        c.drawCentredString(centre, y, cert.course_title)
        y_next = y - 6 * mm
        if cert.course_title_en and cert.course_title_en != cert.course_title:
            c.setFont(self.font_oblique, 12)
            c.drawCentredString(centre, y_next, cert.course_title_en)
            y_next -= 6 * mm
        return y_next

    def draw_course_facts(self, c: canvas.Canvas, *, centre: float, y: float) -> None:
        """Codes, EQF level, dates, hours and attendance, in both languages."""
        cert = self.certificate
        c.setFillColor(colors.black)
        c.setFont(self.font, 10)
        code_it, code_en = self.both("code")
        edition_it, edition_en = self.both("edition")
        eqf_it, eqf_en = self.both("eqf", level=cert.course_eqf_level)
        c.drawCentredString(
            centre,
            y,
            f"{code_it} / {code_en}: {cert.course_code} · "
            f"{edition_it} / {edition_en}: {cert.edition_code} · {eqf_it} / {eqf_en}",
        )
        start, end = _date(cert.edition_start), _date(cert.edition_end)
        dates_it, dates_en = self.both("dates", start=start, end=end)
        hours_it, hours_en = self.both("hours", hours=cert.hours)
        att_it = self.labels["attendance"][0].format(
            percent=_percent(cert.attendance_percent, ",")
        )
        att_en = self.labels["attendance"][1].format(
            percent=_percent(cert.attendance_percent, ".")
        )
        c.drawCentredString(centre, y - 5 * mm, f"{dates_it} · {hours_it} · {att_it}")
        c.setFillColor(self.grey)
        c.drawCentredString(centre, y - 10 * mm, f"{dates_en} · {hours_en} · {att_en}")

    def draw_competencies(self, c: canvas.Canvas) -> None:
        width, _ = self.pagesize
        cert = self.certificate
        competencies = list(cert.competencies or [])
        if not competencies:
            return
        size = 8 if len(competencies) <= 5 else 6.5
        style = ParagraphStyle(
            "cell", fontName=self.font, fontSize=size, leading=size * 1.25
        )
        bold = ParagraphStyle("head", parent=style, fontName=self.font_bold)
        small = ParagraphStyle("uri", parent=style, fontSize=size - 1.5)
        head_it, head_en = self.both("competencies")
        rows = [
            [
                Paragraph(escape(f"{head_it} / {head_en}"), bold),
                Paragraph("EQF", bold),
                Paragraph("ESCO", bold),
            ]
        ]
        for item in competencies:
            title = escape(item.get("title", ""))
            if item.get("title_en") and item["title_en"] != item.get("title"):
                title += f" / <i>{escape(item['title_en'])}</i>"
            rows.append(
                [
                    Paragraph(f"<b>{escape(item.get('code', ''))}</b> {title}", style),
                    Paragraph(str(item.get("eqf_level", "")), style),
                    Paragraph(escape(item.get("esco_uri") or "—"), small),
                ]
            )
        table_width = width - 2 * self.margin - self.qr_size - 20 * mm
        table = Table(
            rows,
            colWidths=[table_width * 0.56, table_width * 0.08, table_width * 0.36],
        )
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, self.colour),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        _, table_height = table.wrapOn(c, table_width, 200 * mm)
        table.drawOn(c, self.margin, self.competencies_top - table_height)

    def draw_footer(self, c: canvas.Canvas) -> None:
        width, _ = self.pagesize
        cert = self.certificate
        bottom = self.margin
        c.setFillColor(colors.black)
        c.setFont(self.font_bold, 11)
        c.drawString(
            self.margin,
            bottom + 14 * mm,
            f"{cert.place_of_issue}, {_date(cert.issued_on)}",
        )
        c.setFont(self.font, 8)
        c.setFillColor(self.grey)
        c.drawString(self.margin, bottom + 10 * mm, " / ".join(self.both("issued")))
        c.drawString(self.margin, bottom + 5 * mm, " / ".join(self.both("signed")))
        extra = []
        if cert.valid_until:
            until_it, until_en = self.both("valid_until")
            extra.append(f"{until_it} / {until_en} {_date(cert.valid_until)}")
        replaces = getattr(cert, "replaces", None)
        if replaces is not None:
            rep_it, rep_en = self.both("replaces")
            extra.append(f"{rep_it} / {rep_en} {replaces.serial}")
        if extra:
            c.drawString(self.margin, bottom + 1 * mm, " · ".join(extra))

        x = width - self.margin - self.qr_size
        self.draw_qr(c, x, bottom + 6 * mm, self.qr_size)
        c.setFont(self.font, 6.5)
        c.setFillColor(colors.black)
        c.drawRightString(width - self.margin, bottom + 2 * mm, self.verification_url)
        c.setFont(self.font, 8)
        c.drawRightString(
            x - 3 * mm,
            bottom + 6 * mm + self.qr_size / 2,
            " / ".join(self.both("verify")),
        )

    def draw_qr(self, c: canvas.Canvas, x: float, y: float, size: float) -> None:
        """The verification URL as a QR code, one filled path of row runs."""
        qr = segno.make(self.verification_url, error="m", micro=False)
        matrix = qr.matrix
        count = len(matrix)
        module = size / count
        path = c.beginPath()
        for row_number, row in enumerate(matrix):
            top = y + size - (row_number + 1) * module
            column = 0
            while column < count:
                if row[column]:
                    start = column
                    while column < count and row[column]:
                        column += 1
                    path.rect(
                        x + start * module, top, (column - start) * module, module
                    )
                else:
                    column += 1
        c.setFillColor(colors.black)
        c.drawPath(path, stroke=0, fill=1)
