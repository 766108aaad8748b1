"""The certificate as a PDF: one reportlab renderer class, in pretix's manner.

A4 landscape, Italian and English side by side, drawn only from the
certificate's frozen content (certificates.content), so a certificate renders
the same words on the day of issue and years later. Page one: the school's
header and logo, what was certified, the registration number, a QR code to the
verification page. A certificate of competence adds an annex page with every
competence's references (certificates.pdf_annex). Fonts are embedded TTFs
(DejaVu from Debian's fonts-dejavu-core, else reportlab's own Vera), so accented
names print right. The QR code is drawn as one path (reportlab's QR widget draws
~2,000 rectangles and costs most of the render time).
"""

from dataclasses import dataclass
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

from .content import LABELS, both, certificate_content, date_text, percent_text
from .models import CertificateKind
from .pdf_annex import annex_draw

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
VERA = Path(reportlab.__file__).parent / "fonts"
FONT_FILES = {
    "MakersSans": [DEJAVU / "DejaVuSans.ttf", VERA / "Vera.ttf"],
    "MakersSans-Bold": [DEJAVU / "DejaVuSans-Bold.ttf", VERA / "VeraBd.ttf"],
    "MakersSans-Oblique": [DEJAVU / "DejaVuSans-Oblique.ttf", VERA / "VeraIt.ttf"],
}
# Kept under their old names (the benchmarks use them).
_date = date_text
_percent = percent_text


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
    not read the CMS). `accreditation`: the body's accreditation for training
    and for certifying competences (a certificate of competence prints it).
    """

    name: str
    organisation: str
    address: str
    place: str
    country: str = "IT"
    legal_identifier: str = ""
    url: str = ""
    logo_path: str = ""
    accreditation: str = ""


class CertificateRenderer:
    """Draws one certificate from its content. Layout as class attributes;
    generate() returns (filename, mimetype, bytes).

    Give `content` (a certificate's `printed`), or a certificate with the issuer
    and verification URL to build it from (its `printed`, if it has one, wins).
    """

    pagesize = landscape(A4)
    margin = 16 * mm
    qr_size = 30 * mm
    logo_size = 18 * mm
    colour = colors.HexColor("#0b4f8a")  # the school's blue
    grey = colors.HexColor("#4d4d4d")
    font = "MakersSans"
    font_bold = "MakersSans-Bold"
    font_oblique = "MakersSans-Oblique"
    labels = LABELS

    def __init__(
        self,
        *,
        certificate=None,
        issuer: Issuer | None = None,
        verification_url: str = "",
        content: dict | None = None,
        logo_path: str = "",
    ):
        if content is None:
            content = certificate.printed or certificate_content(
                certificate=certificate,
                verification_url=verification_url,
                replaces_serial=getattr(certificate.replaces, "serial", ""),
            )
        self.content = content
        self.logo_path = logo_path or (issuer.logo_path if issuer else "")
        fonts_register()

    @property
    def is_competency(self) -> bool:
        return self.content["kind"] == CertificateKind.COMPETENCY

    def filename(self) -> str:
        return f"{self.content['serial']}.pdf"

    # -- drawing -----------------------------------------------------------------

    def generate(self) -> tuple[str, str, bytes]:
        buffer = BytesIO()
        c = canvas.Canvas(
            buffer, pagesize=self.pagesize, pageCompression=1, initialFontName=self.font
        )
        content = self.content
        c.setTitle(f"{content['title'][0]} {content['serial']}")
        c.setAuthor(content["issuer"]["name"])
        c.setSubject(f"{content['holder']['name']} · {content['course']['code']}")
        c.setCreator(content["issuer"]["name"])
        self.draw_frame(c)
        self.draw_header(c)
        self.draw_body(c)
        self.draw_competencies(c)
        self.draw_footer(c)
        c.showPage()
        if self.is_competency:
            annex_draw(self, c)
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
        logo = self.logo_path
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
        issuer = self.content["issuer"]
        self.draw_logo(c, self.margin, top - self.logo_size)
        x = self.margin + self.logo_size + 5 * mm
        c.setFillColor(self.colour)
        c.setFont(self.font_bold, 16)
        c.drawString(x, top - 6 * mm, issuer["name"])
        c.setFillColor(self.grey)
        c.setFont(self.font, 9)
        c.drawString(x, top - 11 * mm, issuer["organisation"])
        c.drawString(x, top - 15 * mm, issuer["address"])
        c.setFont(self.font_bold, 11)
        c.setFillColor(colors.black)
        serial_it, serial_en = both("serial")
        c.drawRightString(
            width - self.margin,
            top - 6 * mm,
            f"{serial_it} / {serial_en} {self.content['serial']}",
        )

    def draw_body(self, c: canvas.Canvas) -> None:
        width, height = self.pagesize
        y = height - self.margin - 30 * mm
        self.draw_holder(c, centre=width / 2, y=y)
        y_next = self.draw_course(c, centre=width / 2, y=y - 45 * mm)
        self.draw_course_facts(c, centre=width / 2, y=y_next)
        self.competencies_top = y_next - 15 * mm

    def draw_holder(self, c: canvas.Canvas, *, centre: float, y: float) -> None:
        """The title, in both languages, the law it follows, and whom it certifies."""
        content = self.content
        title_it, title_en = content["title"]
        c.setFillColor(self.colour)
        c.setFont(self.font_bold, 24)
        c.drawCentredString(centre, y, title_it.upper())
        c.setFont(self.font_oblique, 13)
        c.drawCentredString(centre, y - 6 * mm, title_en)
        if content["legal_basis"]:
            c.setFillColor(self.grey)
            c.setFont(self.font, 7)
            c.drawCentredString(
                centre, y - 10.5 * mm, " / ".join(content["legal_basis"])
            )
        c.setFillColor(colors.black)
        c.setFont(self.font, 11)
        c.drawCentredString(centre, y - 17 * mm, " / ".join(both("certify")))
        c.setFont(self.font_bold, 24)
        c.drawCentredString(centre, y - 27 * mm, content["holder"]["name"])
        codice_fiscale = content["holder"]["codice_fiscale"]
        if codice_fiscale:
            c.setFont(self.font, 9)
            label = " / ".join(both("codice_fiscale"))
            c.drawCentredString(centre, y - 32 * mm, f"{label}: {codice_fiscale}")
        c.setFont(self.font, 11)
        c.drawCentredString(centre, y - 38 * mm, " / ".join(both("attended")))

    def draw_course(self, c: canvas.Canvas, *, centre: float, y: float) -> float:
        """The course's title (and its English one); returns where text goes on."""
        course = self.content["course"]
        c.setFont(self.font_bold, 17)
        c.setFillColor(self.colour)
        c.drawCentredString(centre, y, course["title"])
        y_next = y - 6 * mm
        if course["title_en"] and course["title_en"] != course["title"]:
            c.setFont(self.font_oblique, 12)
            c.drawCentredString(centre, y_next, course["title_en"])
            y_next -= 6 * mm
        return y_next

    def draw_course_facts(self, c: canvas.Canvas, *, centre: float, y: float) -> None:
        """Codes, EQF level, dates, hours and attendance, in both languages."""
        course = self.content["course"]
        c.setFillColor(colors.black)
        c.setFont(self.font, 10)
        code_it, code_en = both("code")
        edition_it, edition_en = both("edition")
        eqf_it, eqf_en = both("eqf", level=course["eqf_level"])
        c.drawCentredString(
            centre,
            y,
            f"{code_it} / {code_en}: {course['code']} · "
            f"{edition_it} / {edition_en}: {course['edition']} · {eqf_it} / {eqf_en}",
        )
        start, end = date_text(course["start"]), date_text(course["end"])
        dates_it, dates_en = both("dates", start=start, end=end)
        hours_it, hours_en = both("hours", hours=course["hours"])
        percent = course["attendance_percent"]
        att_it = LABELS["attendance"][0].format(percent=percent_text(percent, ","))
        att_en = LABELS["attendance"][1].format(percent=percent_text(percent, "."))
        c.drawCentredString(centre, y - 5 * mm, f"{dates_it} · {hours_it} · {att_it}")
        c.setFillColor(self.grey)
        c.drawCentredString(centre, y - 10 * mm, f"{dates_en} · {hours_en} · {att_en}")

    def draw_competencies(self, c: canvas.Canvas) -> None:
        """The competencies in short (the annex gives their references)."""
        width, _ = self.pagesize
        competencies = self.content["competencies"]
        if not competencies:
            return
        size = 8 if len(competencies) <= 5 else 6.5
        style = ParagraphStyle(
            "cell", fontName=self.font, fontSize=size, leading=size * 1.25
        )
        bold = ParagraphStyle("head", parent=style, fontName=self.font_bold)
        small = ParagraphStyle("uri", parent=style, fontSize=size - 1.5)
        head_it, head_en = both("competencies")
        rows = [
            [
                Paragraph(escape(f"{head_it} / {head_en}"), bold),
                Paragraph(escape(" / ".join(both("eqf_short"))), bold),
                Paragraph("ESCO", bold),
            ]
        ]
        for item in competencies:
            title = escape(item["title"])
            if item["title_en"] and item["title_en"] != item["title"]:
                title += f" / <i>{escape(item['title_en'])}</i>"
            rows.append(
                [
                    Paragraph(f"<b>{escape(item['code'])}</b> {title}", style),
                    Paragraph(str(item["eqf_level"]), style),
                    Paragraph(escape(item["esco_uri"] or "—"), small),
                ]
            )
        table_width = width - 2 * self.margin - self.qr_size - 20 * mm
        table = Table(
            rows, colWidths=[table_width * 0.56, table_width * 0.1, table_width * 0.34]
        )
        table.setStyle(self.table_style())
        _, table_height = table.wrapOn(c, table_width, 200 * mm)
        table.drawOn(c, self.margin, self.competencies_top - table_height)

    def table_style(self) -> TableStyle:
        return TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, self.colour),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )

    def draw_footer(self, c: canvas.Canvas) -> None:
        width, _ = self.pagesize
        content = self.content
        bottom = self.margin
        c.setFillColor(colors.black)
        c.setFont(self.font_bold, 11)
        place = content["place_of_issue"]
        c.drawString(
            self.margin, bottom + 14 * mm, f"{place}, {date_text(content['issued_on'])}"
        )
        c.setFont(self.font, 8)
        c.setFillColor(self.grey)
        c.drawString(self.margin, bottom + 10 * mm, " / ".join(both("issued")))
        c.drawString(self.margin, bottom + 5 * mm, self.signed_line())
        extra = []
        if content["valid_until"]:
            until_it, until_en = both("valid_until")
            extra.append(f"{until_it} / {until_en} {date_text(content['valid_until'])}")
        if content["replaces"]:
            rep_it, rep_en = both("replaces")
            extra.append(f"{rep_it} / {rep_en} {content['replaces']}")
        if extra:
            c.drawString(self.margin, bottom + 1 * mm, " · ".join(extra))
        self.draw_verification(c, width=width, bottom=bottom)

    def signed_line(self) -> str:
        """Who signed, and (on a certificate of competence) the issuing body's
        accreditation."""
        line = " / ".join(both("signed"))
        accreditation = self.content["issuer"].get("accreditation")
        if self.is_competency and accreditation:
            label = " / ".join(both("accreditation"))
            line += f" · {label}: {accreditation}"
        return line

    def draw_verification(self, c: canvas.Canvas, *, width: float, bottom: float):
        x = width - self.margin - self.qr_size
        url = self.content["verification_url"]
        self.draw_qr(c, x, bottom + 6 * mm, self.qr_size)
        c.setFont(self.font, 6.5)
        c.setFillColor(colors.black)
        c.drawRightString(width - self.margin, bottom + 2 * mm, url)
        c.setFont(self.font, 8)
        c.drawRightString(
            x - 3 * mm, bottom + 6 * mm + self.qr_size / 2, " / ".join(both("verify"))
        )

    def draw_qr(self, c: canvas.Canvas, x: float, y: float, size: float) -> None:
        """The verification URL as a QR code, one filled path of row runs."""
        qr = segno.make(self.content["verification_url"], error="m", micro=False)
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
