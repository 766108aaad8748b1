"""PDF/A-2b for reportlab documents: what reportlab's public API does not set.

A PDF/A-2b file embeds every font (callers draw only with DejaVu, and
pdfa_canvas_kwargs() makes it the canvas's initial font so no page names
Helvetica), carries XMP metadata saying pdfaid:part 2 / conformance B that
agrees with the Info dictionary, and an OutputIntent with an sRGB ICC profile
(Pillow's littleCMS builds one). reportlab has no public call for the last two:
pdfa_finish() sets them on the canvas's document catalog, reportlab's private
structures, kept in this one module; tests/attendance/test_register_pdf.py
checks the result structurally and fails loudly if reportlab changes.

Tagged PDF: pdfa_structure() writes the structure tree that a TagRecorder
(core.pdf_tags) recorded while the canvas was drawn, with the page's
/StructParents (reportlab's private page structures again);
tests/certificates/test_pdfa_tagged.py checks it.
No veraPDF is available here: conformance beyond those checks is not proven.
"""

from __future__ import annotations

import contextlib
import functools
from xml.sax.saxutils import escape  # nosec B406 - builds XML; parses nothing

from PIL import ImageCms
from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFCatalog,
    PDFDictionary,
    PDFName,
    PDFPage,
    PDFStream,
    PDFString,
)

SRGB_IDENTIFIER = "sRGB IEC61966-2.1"
PRODUCER = "Makers' School (ReportLab)"

XMP_TEMPLATE = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt>
    <rdf:li xml:lang="x-default">{subject}</rdf:li>
   </rdf:Alt></dc:description>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdf:Keywords>{keywords}</pdf:Keywords>
   <pdf:Trapped>False</pdf:Trapped>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


class _PlainStream(PDFStream):
    """A stream written without filters (PDF/A: the metadata must be readable
    without decoding): reportlab writes an empty /Filter for filters=[]."""

    def format(self, document):
        filters = document.defaultStreamFilters
        document.defaultStreamFilters = None
        try:
            return super().format(document)
        finally:
            document.defaultStreamFilters = filters


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (Pillow's littleCMS), built once per process."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


@contextlib.contextmanager
def binary_streams():
    """Streams compressed without reportlab's ASCII85 layer around them (read
    from rl_config when the file is written): a quarter less to write and a
    pure-Python encoder less to run. Wrap canvas.save() in it."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def pdfa_canvas_kwargs(font: str) -> dict:
    """Canvas arguments for a PDF/A page: the embedded font from the first
    operator on (reportlab's default Helvetica is not embedded)."""
    return {"initialFontName": font}


def _iso_date(stamp) -> str:
    year, month, day, hour, minute, second = stamp.YMDhms
    sign = "-" if stamp.dhh < 0 else "+"
    return (
        f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
        f"{sign}{abs(stamp.dhh):02d}:{stamp.dmm:02d}"
    )


def pdfa_finish(
    canvas, *, title: str, author: str, subject: str, producer: str = PRODUCER
) -> None:
    """Before canvas.save(): the Info entries, XMP metadata (pdfaid 2B) and the
    sRGB OutputIntent of a PDF/A-2b document. `producer`: what the last tool
    to write the file will call itself (Info and XMP must agree)."""
    document = canvas._doc
    info = document.info
    info.title, info.author, info.subject = title, author, subject
    info.creator, info.producer = PRODUCER, producer
    info.keywords = subject
    values = {
        "title": escape(title),
        "author": escape(author),
        "subject": escape(subject),
        "keywords": escape(subject),
        "producer": escape(producer),
        "creator": escape(PRODUCER),
        "date": _iso_date(document._timeStamp),
    }
    xmp = _PlainStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        content=XMP_TEMPLATE.format(**values).encode("utf-8"),
    )
    icc = PDFStream(
        PDFDictionary({"N": 3}),
        content=srgb_profile(),
        filters=document.defaultStreamFilters,
    )
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString(SRGB_IDENTIFIER),
            "Info": PDFString(SRGB_IDENTIFIER),
            "DestOutputProfile": document.Reference(icc),
        }
    )
    catalog = document.Catalog
    catalog.Metadata = document.Reference(xmp)
    catalog.OutputIntents = PDFArray([intent])
    # The catalog writes only the keys it lists: OutputIntents is not one.
    catalog.__NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]


def pdfa_structure(canvas, recorder, *, lang: str) -> None:
    """Before canvas.save(), after the last page: the structure tree of a
    TagRecorder (core.pdf_tags) as the document's StructTreeRoot, with its
    ParentTree, /StructParents on each page, MarkInfo Marked, the catalog's
    /Lang and the viewer told to show the title."""
    document = canvas._doc
    pages = document.Pages.pages
    parents = {number: {} for number in range(1, len(pages) + 1)}
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = document.Reference(root)
    top = _struct_element(document, recorder.root, root_ref, pages, parents)
    root["K"] = PDFArray([top])
    nums = []
    for number, page in enumerate(pages, start=1):
        page.StructParents = number - 1
        # A page writes only the keys it lists: StructParents is not one.
        page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents"]
        owners = parents[number]
        nums += [number - 1, PDFArray([owners[mcid] for mcid in sorted(owners)])]
    root["ParentTree"] = document.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
    root["ParentTreeNextKey"] = len(pages)
    canvas.setCatalogEntry("StructTreeRoot", root)
    canvas.setCatalogEntry("MarkInfo", {"Marked": "true"})
    canvas.setCatalogEntry("Lang", lang)
    canvas.setViewerPreference("DisplayDocTitle", "true")


def _struct_element(document, element, parent_ref, pages, parents):
    """`element` and its kids as StructElem objects; returns its reference and
    notes which element owns each page's marked content (for the ParentTree)."""
    made = PDFDictionary(
        {
            "Type": PDFName("StructElem"),
            "S": PDFName(element.role),
            "P": parent_ref,
        }
    )
    ref = document.Reference(made)
    if element.alt:
        made["Alt"] = PDFString(element.alt)
    if element.lang:
        made["Lang"] = PDFString(element.lang)
    if element.attributes:
        made["A"] = PDFDictionary(
            {key: PDFName(value) for key, value in element.attributes.items()}
        )
    kids, own_page = [], None
    for kid in element.kids:
        if not isinstance(kid, tuple):
            kids.append(_struct_element(document, kid, ref, pages, parents))
            continue
        page, mcid = kid
        parents[page][mcid] = ref
        page_ref = document.Reference(pages[page - 1])
        if own_page is None:
            own_page = page
            made["Pg"] = page_ref
        if page == own_page:
            kids.append(mcid)
        else:
            marked = {"Type": PDFName("MCR"), "Pg": page_ref, "MCID": mcid}
            kids.append(PDFDictionary(marked))
    made["K"] = PDFArray(kids)
    return ref
