"""The foot of a certificate's first page: place and date of issue, the
signature note, validity, and the QR code to the verification page with its
URL, each tagged in reading order (core.pdf_tags).

footer_draw() is given the renderer (certificates.pdf.CertificateRenderer) for
its layout attributes and its TagRecorder; it imports nothing of it.
"""

import segno
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from .content import both, date_text


def footer_draw(renderer, c: canvas.Canvas) -> None:
    width, _ = renderer.pagesize
    content = renderer.content
    tags = renderer.tags
    margin = bottom = renderer.margin
    c.setFillColor(colors.black)
    c.setFont(renderer.font_bold, 11)
    place = content["place_of_issue"]
    with tags.tagged("P"):
        c.drawString(
            margin, bottom + 14 * mm, f"{place}, {date_text(content['issued_on'])}"
        )
    c.setFont(renderer.font, 8)
    c.setFillColor(renderer.grey)
    with tags.tagged("P"):
        c.drawString(margin, bottom + 10 * mm, " / ".join(both("issued")))
    with tags.tagged("P"):
        c.drawString(margin, bottom + 5 * mm, signed_line(renderer))
    extra = []
    if content["valid_until"]:
        until_it, until_en = both("valid_until")
        extra.append(f"{until_it} / {until_en} {date_text(content['valid_until'])}")
    if content["replaces"]:
        rep_it, rep_en = both("replaces")
        extra.append(f"{rep_it} / {rep_en} {content['replaces']}")
    if extra:
        with tags.tagged("P"):
            c.drawString(margin, bottom + 1 * mm, " · ".join(extra))
    _verification_draw(renderer, c, width=width, bottom=bottom)


def signed_line(renderer) -> str:
    """Who signed, and (on a certificate of competence) the issuing body's
    accreditation."""
    line = " / ".join(both("signed"))
    accreditation = renderer.content["issuer"].get("accreditation")
    if renderer.is_competency and accreditation:
        label = " / ".join(both("accreditation"))
        line += f" · {label}: {accreditation}"
    return line


def _verification_draw(renderer, c: canvas.Canvas, *, width: float, bottom: float):
    """ "Verify it", the QR code (a figure with its alternative text), the URL."""
    size = renderer.qr_size
    x = width - renderer.margin - size
    url = renderer.content["verification_url"]
    tags = renderer.tags
    c.setFillColor(colors.black)
    c.setFont(renderer.font, 8)
    with tags.tagged("P"):
        c.drawRightString(
            x - 3 * mm, bottom + 6 * mm + size / 2, " / ".join(both("verify"))
        )
    alt = both("qr_alt", url=url)[1]
    with tags.tagged("Figure", alt=alt, lang="en"):
        qr_draw(c, url, x, bottom + 6 * mm, size)
    c.setFont(renderer.font, 6.5)
    c.setFillColor(colors.black)
    with tags.tagged("P"):
        c.drawRightString(width - renderer.margin, bottom + 2 * mm, url)


def qr_draw(c: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    """`url` as a QR code, one filled path of row runs (reportlab's QR widget
    draws ~2,000 rectangles and costs most of the render time)."""
    matrix = segno.make(url, error="m", micro=False).matrix
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
                path.rect(x + start * module, top, (column - start) * module, module)
            else:
                column += 1
    c.setFillColor(colors.black)
    c.drawPath(path, stroke=0, fill=1)
