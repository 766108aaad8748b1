"""Hostile uploads on the verification page: small synthetic PDFs that are
encrypted, loop back on themselves, declare or hold a huge number of objects, or
hide a decompression bomb. Each gets a page (never a 500) that says why the file
is not one of the school's certificates."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from certificates.signing import (
    UPLOAD_MAX_OBJECTS,
    pdf_signature_check,
    pdf_structure_refusal,
)

pytestmark = pytest.mark.django_db

NOT_OURS = "This file is not, byte for byte, a certificate the school issued"
UNREADABLE = "The file could not be read as a PDF (damaged, encrypted or malformed)."
ENCRYPTED = "The PDF is encrypted (protected by a password)."
TOO_MANY = "The PDF holds far more objects than a certificate of the school"
TOO_LARGE = "compressed content expands far beyond that of a certificate"

CATALOG = b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [3 0 R] >> >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def _pdf(objects: dict[int, bytes], *, size: int | None = None) -> bytes:
    """A PDF with these numbered objects, a classic xref table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    count = max(offsets) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
    for number in range(1, count):
        if number in offsets:
            out.write(b"%010d 00000 n \n" % offsets[number])
        else:
            out.write(b"0000000000 65535 f \n")
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (size or count, xref)
    )
    return out.getvalue()


def _object_stream_bomb(*, inflated: int) -> bytes:
    """The only form field packed in a Flate object stream that inflates to
    `inflated` bytes (a few KB on disk), found through an XRef stream."""
    header = b"3 0 "
    compressor = zlib.compressobj(9)
    data = compressor.compress(header + b"<< /T (a) >>")
    chunk = b" " * (1024 * 1024)
    for _ in range(inflated // len(chunk)):
        data += compressor.compress(chunk)
    data += compressor.flush()
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = {}
    for number, body in (
        (1, CATALOG),
        (2, PAGES),
        (
            5,
            b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\n"
            b"stream\n%s\nendstream" % (len(header), len(data), data),
        ),
    ):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    rows = b""
    for number in range(7):
        if number == 3:  # compressed, the first object of stream 5
            rows += struct.pack(">BIH", 2, 5, 0)
        elif number in offsets:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
        elif number == 6:
            rows += struct.pack(">BIH", 1, xref, 0)
        else:
            rows += struct.pack(">BIH", 0, 0, 65535)
    out.write(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\n"
        b"stream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
        % (len(rows), rows, xref)
    )
    return out.getvalue()


def _encrypted() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("segreto")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(client, content: bytes):
    response = client.post(
        reverse("certificates:verify_start"),
        {"pdf": SimpleUploadedFile("c.pdf", content, content_type="application/pdf")},
    )
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert NOT_OURS in html
    return html


def test_an_encrypted_pdf(client, site):
    assert ENCRYPTED in _upload(client, _encrypted())


@pytest.mark.parametrize(
    "objects",
    [
        # A signature field whose kids are itself.
        {1: CATALOG, 2: PAGES, 3: b"<< /FT /Sig /T (a) /Kids [3 0 R] >>"},
        # Two fields, each the other's parent and kid.
        {
            1: CATALOG,
            2: PAGES,
            3: b"<< /T (a) /Parent 4 0 R /Kids [4 0 R] >>",
            4: b"<< /T (b) /Parent 3 0 R /Kids [3 0 R] >>",
        },
        # A reference that resolves to a reference back to itself.
        {1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>", 2: PAGES}
        | {3: b"4 0 R", 4: b"3 0 R"},
        # A page tree that contains itself, with a signature on its page.
        {
            1: CATALOG,
            2: b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
            3: b"<< /FT /Sig /T (s) /V 4 0 R /P 2 0 R >>",
            4: b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter"
            b" /ETSI.CAdES.detached /ByteRange [0 10 20 10] /Contents <00> >>",
        },
    ],
    ids=["kids-loop", "parent-loop", "reference-loop", "page-tree-loop"],
)
def test_references_that_loop(client, site, objects):
    html = _upload(client, _pdf(objects))
    assert UNREADABLE in html or "The file carries no digital signature." in html


def test_deeply_nested_arrays(client, site):
    deep = b"[" * 50_000 + b"]" * 50_000
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields %s >> >>"}
    objects[1] %= deep
    assert UNREADABLE in _upload(client, _pdf(objects | {2: PAGES}))


def test_many_objects_written_out(client, site):
    count = UPLOAD_MAX_OBJECTS + 10
    fields = b" ".join(b"%d 0 R" % n for n in range(3, count))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] >> >>" % fields,
        2: PAGES,
    } | {n: b"<< /T (f%d) >>" % n for n in range(3, count)}
    assert TOO_MANY in _upload(client, _pdf(objects))


def test_an_object_count_declared_huge(client, site):
    small = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: PAGES}
    assert TOO_MANY in _upload(client, _pdf(small, size=2**31 - 1))
    packed = small | {
        3: b"<< /Type /ObjStm /N 100000000 /First 4 /Length 8 >>\n"
        b"stream\n4 0 5 6\nendstream"
    }
    assert TOO_MANY in _upload(client, _pdf(packed))


def test_an_object_stream_that_inflates_without_end(client, site):
    content = _object_stream_bomb(inflated=24 * 1024 * 1024)
    assert len(content) < 100_000
    assert TOO_LARGE in _upload(client, content)


def test_a_certificate_is_far_below_the_limits(certificate):
    with certificate.pdf.open("rb") as handle:
        content = handle.read()
    assert (
        pdf_structure_refusal(pdf=content, max_objects=UPLOAD_MAX_OBJECTS // 10) == ""
    )
    assert pdf_signature_check(pdf=content).genuine
