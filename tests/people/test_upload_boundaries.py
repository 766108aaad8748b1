"""The CV check's object-count limit, at its edge: a PDF with exactly
CV_MAX_OBJECTS objects is accepted, one more is refused as too complex. The limit
is lowered to the size of a small real CV rather than building a PDF of 20,000
objects; the count is read from the file's own cross-reference table, not from
the code under test."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from people import uploads
from people.exceptions import PeopleError


def _cv() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "Maria Rossi - tecnica CNC")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _objects(data: bytes) -> int:
    """How many objects the PDF declares (every one is reachable in a CV that
    reportlab writes: catalog, pages, page, fonts, contents, info)."""
    reader = PdfReader(io.BytesIO(data))
    return sum(len(numbers) for numbers in reader.xref.values()) + len(
        reader.xref_objStm
    )


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("cv.pdf", data, content_type="application/pdf")


@pytest.fixture
def cv():
    data = _cv()
    count = _objects(data)
    assert 3 <= count < uploads.CV_MAX_OBJECTS
    return data, count


def test_a_cv_with_exactly_the_most_objects_is_accepted(cv, monkeypatch):
    data, count = cv
    monkeypatch.setattr(uploads, "CV_MAX_OBJECTS", count)
    stored = uploads.cv_clean(upload=_upload(data))
    assert stored.name == "cv.pdf"
    assert stored.read().startswith(b"%PDF-")


def test_a_cv_with_one_object_too_many_is_refused(cv, monkeypatch):
    data, count = cv
    monkeypatch.setattr(uploads, "CV_MAX_OBJECTS", count - 1)
    with pytest.raises(PeopleError) as refused:
        uploads.cv_clean(upload=_upload(data))
    assert refused.value.message == PeopleError.CV_TOO_COMPLEX
    assert refused.value.field == "cv"
