"""Hostile files, built here (nothing downloaded): what an attacker uploads as a
CV, a photo or a certificate to verify. Each has the marker that must never come
back out of the application as active content."""

from __future__ import annotations

import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Hostile:
    name: str  # what the row calls it
    filename: str
    content_type: str
    data: bytes
    markers: tuple[bytes, ...]  # none of these may be served back


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF with correct xref offsets from the bodies of objects 1..n."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _page_pdf(extra_catalog: bytes = b"", content: bytes = b"BT ET") -> bytes:
    stream = zlib.compress(content)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
            + stream
            + b"\nendstream",
        ]
    )


HTML = b"<html><body><script>alert('makers')</script></body></html>"
# A 1x1 GIF, then a page: both an image and HTML (a GIF/HTML polyglot).
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01"
    b"\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)

HTML_IN_PDF = Hostile(
    "HTML behind %PDF-",
    "cv.pdf",
    "application/pdf",
    b"%PDF-1.4\n" + HTML + b"\n%%EOF\n",
    (b"alert('makers')",),
)
JS_PDF = Hostile(
    "PDF with /OpenAction JavaScript",
    "cv.pdf",
    "application/pdf",
    _page_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\('makers'\\)) >>"),
    (b"/JavaScript", b"app.alert"),
)
# 40 MB of zeros in one page stream, 40 KB on the wire.
ZLIB_BOMB = Hostile(
    "zlib bomb (40 MB in 40 KB)",
    "cv.pdf",
    "application/pdf",
    _page_pdf(content=b"\0" * (40 * 1024 * 1024)),
    (),  # checked by size: never served back as it is
)
POLYGLOT = Hostile(
    "GIF+HTML polyglot",
    "photo.gif",
    "image/gif",
    GIF + HTML,
    (b"alert('makers')",),
)
CVS = (HTML_IN_PDF, JS_PDF, ZLIB_BOMB)
PHOTOS = (POLYGLOT,)
