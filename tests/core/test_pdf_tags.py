"""core.pdf_tags and core.pdfa on a plain reportlab canvas: the structure tree
they write, checked with the certificates' structural checks (which name what
they check). Fails loudly if reportlab's private page and catalog structures
change under core.pdfa."""

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Paragraph, Table

from certificates.pdf import fonts_register
from core.pdf_tags import TagRecorder
from core.pdfa import binary_streams, pdfa_canvas_kwargs, pdfa_finish, pdfa_structure
from tests.certificates.pdfa_checks import (
    pdfa_problems,
    reader_of,
    reading_sequence,
    struct_elements,
    tagging_problems,
)


def _two_pages() -> bytes:
    """A heading, a paragraph that goes on over the page break (one element,
    marked content on both pages), a table, a decorative rule."""
    fonts_register()
    buffer = BytesIO()
    c = pdf_canvas.Canvas(buffer, pagesize=A4, **pdfa_canvas_kwargs("MakersSans"))
    tags = TagRecorder(c)
    with tags.tagged("H1"):
        c.drawString(72, 780, "Registro")
    with tags.artifact():
        c.line(72, 770, 520, 770)
    going_on = tags.element("P", lang="en")
    tags.begin(going_on)
    c.drawString(72, 700, "First half,")
    tags.end()
    c.showPage()
    c.setFont("MakersSans", 12)
    tags.begin(going_on)
    c.drawString(72, 780, "second half.")
    tags.end()
    style = ParagraphStyle("cell", fontName="MakersSans")
    table = Table(
        [[Paragraph("Head", style)], [Paragraph("Cell", style)]],
        style=[
            ("FONTNAME", (0, 0), (-1, -1), "MakersSans"),
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ],
        renderCB=tags.table_tagger(),
    )
    table.wrapOn(c, 200, 200)
    table.drawOn(c, 72, 600)
    c.showPage()
    pdfa_finish(c, title="Registro", author="Makers' School", subject="Test")
    pdfa_structure(c, tags, lang="it-IT")
    with binary_streams():
        c.save()
    return buffer.getvalue()


def test_structure_tree_of_a_two_page_document():
    pdf = _two_pages()
    assert pdfa_problems(pdf) == []
    assert tagging_problems(pdf, lang="it-IT") == []
    reader = reader_of(pdf)
    elements = list(struct_elements(reader))
    roles = [str(element["/S"]) for element, _ in elements]
    assert roles == ["/Document", "/H1", "/P", "/Table", "/TR", "/TH", "/TR", "/TD"]
    # The paragraph owns MCID 1 of page one and MCID 0 of page two (an MCR).
    _element, marks = elements[2]
    assert marks == [(0, 1), (1, 0)]
    assert [page["/StructParents"] for page in reader.pages] == [0, 1]
    assert reading_sequence(pdf) == [
        ("H1", "", "Registro"),
        ("P", "en", "First half, second half."),
        ("TH", "", "Head"),
        ("TD", "", "Cell"),
    ]
    header = elements[5][0]
    assert header["/A"]["/Scope"] == "/Column"
