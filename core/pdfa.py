"""PDF/A-2b for reportlab documents: what reportlab's public API does not set.

A PDF/A-2b file embeds every font (callers draw only with DejaVu, and
pdfa_canvas_kwargs() makes it the canvas's initial font so no page names
Helvetica), carries XMP metadata saying pdfaid:part 2 / conformance B that
agrees with the Info dictionary, and an OutputIntent with an sRGB ICC profile
(Pillow's littleCMS builds one). reportlab has no public call for the last two:
pdfa_finish() sets them on the canvas's document catalog, reportlab's private
structures, kept in this one module; tests/attendance/test_register_pdf.py
checks the result structurally and fails loudly if reportlab changes.
No veraPDF is available here: conformance beyond that check is not proven.
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


def pdfa_finish(canvas, *, title: str, author: str, subject: str) -> None:
    """Before canvas.save(): the Info entries, XMP metadata (pdfaid 2B) and the
    sRGB OutputIntent of a PDF/A-2b document."""
    document = canvas._doc
    info = document.info
    info.title, info.author, info.subject = title, author, subject
    info.creator = info.producer = PRODUCER
    info.keywords = subject
    values = {
        "title": escape(title),
        "author": escape(author),
        "subject": escape(subject),
        "keywords": escape(subject),
        "producer": escape(PRODUCER),
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
