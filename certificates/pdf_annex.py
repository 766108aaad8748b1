"""The annex page of a certificate of competence: each competence with what
D.Lgs. 13/2013 art. 6 and DM 30/6/2015 ask a certificate to say of it (its
repertory, Atlante del Lavoro ADA, the qualification, its "Livello EQF", ATECO
and CP ISTAT 2011 codes, ESCO, how it was learned and assessed), in Italian and
English, drawn from the certificate's frozen content like page one.

annex_draw() is given the renderer (certificates.pdf.CertificateRenderer) for
its layout attributes; it imports nothing of it.
"""

from xml.sax.saxutils import escape  # nosec B406 - reportlab markup; parses nothing

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Table

from core.pdf_tags import LangParagraph

from .content import both, date_text

# Column headers and their share of the table's width.
COLUMNS = (
    ("competence", 0.25),
    ("eqf_short", 0.07),
    ("ada", 0.13),
    ("qualification", 0.12),
    ("ateco", 0.08),
    ("cp_istat", 0.08),
    ("assessment", 0.27),
)


def _two(italian: str, english: str, style: ParagraphStyle, prefix: str = "") -> list:
    """Both languages in one cell, the English in italics on its own line and
    marked as English (once if the same)."""
    cell = [Paragraph(prefix + escape(italian or "—"), style)]
    if english and english != italian:
        cell.append(LangParagraph(f"<i>{escape(english)}</i>", style, lang="en"))
    return cell


def _row(item: dict, style: ParagraphStyle, small: ParagraphStyle) -> list:
    code = f"<b>{escape(item['code'])}</b> "
    title = _two(item["title"], item["title_en"], style, prefix=code)
    if item["esco_uri"]:
        uri = escape(item["esco_uri"])
        title.append(Paragraph(f"ESCO: {uri}", small))
    ateco = item["ateco_code"]
    if ateco and item.get("ateco_version"):
        ateco = f"{ateco} ({item['ateco_version']})"
    return [
        title,
        Paragraph(str(item["eqf_level"]), style),
        Paragraph(escape(item["ada_code"] or "—"), style),
        Paragraph(escape(item["qualification"] or "—"), style),
        Paragraph(escape(ateco or "—"), style),
        Paragraph(escape(item["cp_istat_code"] or "—"), style),
        _two(item["assessment_method"], item["assessment_method_en"], style),
    ]


def _heading(renderer, c: canvas.Canvas, *, top: float) -> float:
    """The annex's title, whose it is, and how the competences were learned;
    returns where the table starts."""
    content = renderer.content
    margin = renderer.margin
    tagged = renderer.tags.tagged
    annex_it, annex_en = both("annex")
    c.setFillColor(renderer.colour)
    c.setFont(renderer.font_bold, 14)
    with tagged("H2"):
        c.drawString(margin, top, annex_it)
    c.setFont(renderer.font_oblique, 11)
    with tagged("P", lang="en"):
        c.drawString(margin, top - 5.5 * mm, annex_en)
    c.setFillColor(colors.black)
    c.setFont(renderer.font, 9)
    serial_it, serial_en = both("serial")
    holder = content["holder"]
    line = f"{holder['name']}"
    if holder["codice_fiscale"]:
        line += f" · {' / '.join(both('codice_fiscale'))}: {holder['codice_fiscale']}"
    line += f" · {serial_it} / {serial_en} {content['serial']}"
    with tagged("P"):
        c.drawString(margin, top - 12 * mm, line)
    # How it was learned: one line per language (together they overflow).
    for offset, lang, label, text in zip(
        (17, 21), ("", "en"), both("learning"), content["learning"], strict=True
    ):
        with tagged("P", lang=lang):
            c.drawString(margin, top - offset * mm, f"{label}: {text}")
    issuer = content["issuer"]
    body = f"{' / '.join(both('issuer'))}: {issuer['name']}"
    if issuer.get("accreditation"):
        body += f" · {' / '.join(both('accreditation'))}: {issuer['accreditation']}"
    with tagged("P"):
        c.drawString(margin, top - 26 * mm, body)
    return top - 32 * mm


def annex_draw(renderer, c: canvas.Canvas) -> None:
    """Page two: the competences and their references, then the page ends."""
    width, height = renderer.pagesize
    renderer.draw_frame(c)
    table_top = _heading(renderer, c, top=height - renderer.margin - 4 * mm)
    style = ParagraphStyle("annex", fontName=renderer.font, fontSize=7, leading=8.75)
    bold = ParagraphStyle("annex-head", parent=style, fontName=renderer.font_bold)
    small = ParagraphStyle("annex-uri", parent=style, fontSize=5.5)
    rows = [[Paragraph(escape(" / ".join(both(key))), bold) for key, _ in COLUMNS]]
    rows += [_row(item, style, small) for item in renderer.content["competencies"]]
    table_width = width - 2 * renderer.margin
    table = Table(
        rows,
        colWidths=[table_width * share for _, share in COLUMNS],
        renderCB=renderer.tags.table_tagger(),
    )
    table.setStyle(renderer.table_style())
    _, table_height = table.wrapOn(c, table_width, table_top - renderer.margin)
    table.drawOn(c, renderer.margin, table_top - table_height)
    c.setFont(renderer.font, 8)
    c.setFillColor(renderer.grey)
    content = renderer.content
    with renderer.tags.tagged("P"):
        c.drawString(
            renderer.margin,
            renderer.margin,
            f"{content['place_of_issue']}, {date_text(content['issued_on'])} · "
            f"{content['verification_url']}",
        )
    c.showPage()
