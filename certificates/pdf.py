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
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from core.pdf_tags import TagRecorder
from core.pdfa import binary_streams, pdfa_canvas_kwargs, pdfa_finish, pdfa_structure

from .content import LABELS, both, certificate_content, date_text, percent_text
from .models import CertificateKind
from .pdf_annex import annex_draw
from .pdf_footer import footer_draw
from .signing import SIGNED_PRODUCER

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
    lang = "it-IT"  # the document's; English parts are tagged "en"

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
            buffer,
            pagesize=self.pagesize,
            pageCompression=1,
            **pdfa_canvas_kwargs(self.font),
        )
        self.tags = TagRecorder(c)
        self.draw_frame(c)
        self.draw_header(c)
        self.draw_body(c)
        self.draw_competencies(c)
        footer_draw(self, c)
        c.showPage()
        if self.is_competency:
            annex_draw(self, c)
        content = self.content
        pdfa_finish(
            c,
            title=f"{content['title'][0]} {content['serial']}",
            author=content["issuer"]["name"],
            subject=f"{content['holder']['name']} · {content['course']['code']}",
            producer=SIGNED_PRODUCER,
        )
        pdfa_structure(c, self.tags, lang=self.lang)
        with binary_streams():
            c.save()
        return self.filename(), "application/pdf", buffer.getvalue()

    def draw_frame(self, c: canvas.Canvas) -> None:
        width, height = self.pagesize
        with self.tags.artifact():
            c.setStrokeColor(self.colour)
            c.setLineWidth(2)
            c.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
            c.setLineWidth(0.5)
            c.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)

    def draw_logo(self, c: canvas.Canvas, x: float, y: float) -> None:
        alt = both("logo_alt", name=self.content["issuer"]["name"])[0]
        with self.tags.tagged("Figure", alt=alt):
            self.draw_logo_image(c, x, y)

    def draw_logo_image(self, c: canvas.Canvas, x: float, y: float) -> None:
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
        tagged = self.tags.tagged
        c.setFillColor(self.colour)
        c.setFont(self.font_bold, 16)
        with tagged("P"):
            c.drawString(x, top - 6 * mm, issuer["name"])
        c.setFillColor(self.grey)
        c.setFont(self.font, 9)
        with tagged("P"):
            c.drawString(x, top - 11 * mm, issuer["organisation"])
        with tagged("P"):
            c.drawString(x, top - 15 * mm, issuer["address"])
        c.setFont(self.font_bold, 11)
        c.setFillColor(colors.black)
        serial_it, serial_en = both("serial")
        with tagged("P"):
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
        line = self.centred_line(c, centre)
        c.setFillColor(self.colour)
        line(y, title_it.upper(), self.font_bold, 24, role="H1")
        line(y - 6 * mm, title_en, self.font_oblique, 13, lang="en")
        if content["legal_basis"]:
            c.setFillColor(self.grey)
            line(y - 10.5 * mm, " / ".join(content["legal_basis"]), self.font, 7)
        c.setFillColor(colors.black)
        line(y - 17 * mm, " / ".join(both("certify")), self.font, 11)
        line(y - 27 * mm, content["holder"]["name"], self.font_bold, 24)
        codice_fiscale = content["holder"]["codice_fiscale"]
        if codice_fiscale:
            label = " / ".join(both("codice_fiscale"))
            line(y - 32 * mm, f"{label}: {codice_fiscale}", self.font, 9)
        line(y - 38 * mm, " / ".join(both("attended")), self.font, 11)

    def centred_line(self, c: canvas.Canvas, centre: float):
        """A function drawing one centred line of text as its own element."""

        def line(y, text, font, size, *, role="P", lang=""):
            c.setFont(font, size)
            with self.tags.tagged(role, lang=lang):
                c.drawCentredString(centre, y, text)

        return line

    def draw_course(self, c: canvas.Canvas, *, centre: float, y: float) -> float:
        """The course's title (and its English one); returns where text goes on."""
        course = self.content["course"]
        line = self.centred_line(c, centre)
        c.setFillColor(self.colour)
        line(y, course["title"], self.font_bold, 17, role="H2")
        y_next = y - 6 * mm
        if course["title_en"] and course["title_en"] != course["title"]:
            line(y_next, course["title_en"], self.font_oblique, 12, lang="en")
            y_next -= 6 * mm
        return y_next

    def draw_course_facts(self, c: canvas.Canvas, *, centre: float, y: float) -> None:
        """Codes, EQF level, dates, hours and attendance, in both languages."""
        course = self.content["course"]
        line = self.centred_line(c, centre)
        c.setFillColor(colors.black)
        code_it, code_en = both("code")
        edition_it, edition_en = both("edition")
        eqf_it, eqf_en = both("eqf", level=course["eqf_level"])
        codes = (
            f"{code_it} / {code_en}: {course['code']} · "
            f"{edition_it} / {edition_en}: {course['edition']} · {eqf_it} / {eqf_en}"
        )
        line(y, codes, self.font, 10)
        start, end = date_text(course["start"]), date_text(course["end"])
        dates_it, dates_en = both("dates", start=start, end=end)
        hours_it, hours_en = both("hours", hours=course["hours"])
        percent = course["attendance_percent"]
        att_it = LABELS["attendance"][0].format(percent=percent_text(percent, ","))
        att_en = LABELS["attendance"][1].format(percent=percent_text(percent, "."))
        line(y - 5 * mm, f"{dates_it} · {hours_it} · {att_it}", self.font, 10)
        c.setFillColor(self.grey)
        line(
            y - 10 * mm, f"{dates_en} · {hours_en} · {att_en}", self.font, 10, lang="en"
        )

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
            rows,
            colWidths=[table_width * 0.56, table_width * 0.1, table_width * 0.34],
            renderCB=self.tags.table_tagger(),
        )
        table.setStyle(self.table_style())
        _, table_height = table.wrapOn(c, table_width, 200 * mm)
        table.drawOn(c, self.margin, self.competencies_top - table_height)

    def table_style(self) -> TableStyle:
        return TableStyle(
            [
                # The cells are Paragraphs; the table still selects a cell font
                # (Helvetica, not embedded, unless told).
                ("FONTNAME", (0, 0), (-1, -1), self.font),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, self.colour),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
