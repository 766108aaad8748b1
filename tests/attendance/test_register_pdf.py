"""The audit-grade register PDF (issue 26): numbering and identifier on every
page, the stamp box, sessions with topics, teacher and tutor, trainees with
entry, exit, hours and signature cells, totals; qpdf and a PDF/A-2b structural
check."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from attendance.audit_register_pdf import AuditRegisterPDF, register_identifier
from attendance.models import AttendanceRecord, SessionRegister
from attendance.selectors import edition_hours_attended
from core.pdfa import SRGB_IDENTIFIER
from courses.models import Session
from tests.factories import (
    InstructorFactory,
    SessionFactory,
    edition_running,
    rome_at,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_ten_in_rome")]


def big_edition(trainees: int = 40, sessions: int = 30):
    """An edition of `trainees` x `sessions`, every trainee present at every
    session, each register with topics, teacher and tutor."""
    teacher, tutor = InstructorFactory(), InstructorFactory()
    edition, _, _ = edition_running(trainees=trainees, instructor=teacher)
    Session.objects.filter(edition=edition).delete()
    made = [
        SessionFactory(
            edition=edition,
            instructor=teacher,
            start=rome_at(-60 + day, hour=9),
            end=rome_at(-60 + day, hour=13),
        )
        for day in range(sessions)
    ]
    enrolments = list(edition.enrolments.all())
    SessionRegister.objects.bulk_create(
        SessionRegister(
            session=session,
            topics_covered=f"Covered {number}",
            teacher=teacher,
            tutor=tutor,
            started_at=session.start,
            ended_at=session.end,
        )
        for number, session in enumerate(made, start=1)
    )
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(
            enrolment=enrolment,
            session=session,
            status="present",
            minutes_present=session.duration_minutes,
            entered_at=session.start,
            exited_at=session.end,
            recorded_at=session.end,
        )
        for enrolment in enrolments
        for session in made
    )
    return edition, made, enrolments


def render(edition) -> bytes:
    _, mimetype, content = AuditRegisterPDF(
        edition_hours_attended(edition=edition),
        school_name="Makers' School",
        school_address="Corso Settembrini 178, Torino",
    ).generate()
    assert mimetype == "application/pdf"
    return content


def test_register_40_by_30_numbers_every_page_and_lists_everyone(tmp_path):
    edition, sessions, enrolments = big_edition()
    content = render(edition)
    reader = PdfReader(io.BytesIO(content))
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    assert total > 30
    identifier = register_identifier(edition)
    for number, text in enumerate(pages, start=1):
        squeezed = re.sub(r"\s+", " ", text)
        assert identifier in squeezed, number
        assert re.search(rf"(Pagina|Page) {number} (di|of) {total}\b", squeezed)
    text = "\n".join(pages)
    for enrolment in enrolments:
        assert enrolment.trainee.last_name in text
    for number in range(1, 31):
        assert f"Covered {number}\n" in text + "\n" or f"Covered {number} " in text
    assert "vidimazione" in pages[0]
    assert "vidimazione" not in pages[1]
    # Four hours a session, thirty sessions: 120 hours each in the totals.
    assert text.count("120,00") >= 40
    path = tmp_path / "register.pdf"
    path.write_bytes(content)
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True)
    assert result.returncode == 0, result.stdout


def _fonts(reader: PdfReader) -> list:
    fonts = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).values():
            fonts.append(font.get_object())
    return fonts


def test_register_is_pdfa_2b_structurally():
    """What this checks (no veraPDF here): XMP metadata with pdfaid:part 2 and
    conformance B, not filtered, agreeing with the Info title; an OutputIntent
    GTS_PDFA1 with an embedded 3-component (sRGB) ICC profile; every font
    embedded (FontFile2), none of the 14 standard fonts; no encryption; a
    document ID."""
    edition, _, _ = big_edition(trainees=3, sessions=2)
    reader = PdfReader(io.BytesIO(render(edition)))
    root = reader.trailer["/Root"]
    metadata = root["/Metadata"].get_object()
    assert "/Filter" not in metadata
    xmp = metadata.get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert reader.metadata.title in xmp
    (intent,) = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/OutputConditionIdentifier"] == SRGB_IDENTIFIER
    profile = intent.raw_get("/DestOutputProfile")
    assert isinstance(profile, IndirectObject)
    assert profile.get_object()["/N"] == 3
    assert b"acsp" in profile.get_object().get_data()[:128]  # an ICC header
    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]
        assert "Helvetica" not in str(font["/BaseFont"])
    assert not reader.is_encrypted
    assert "/ID" in reader.trailer


def test_register_shows_times_topics_and_people():
    edition, sessions, enrolments = edition_running(trainees=2)
    teacher, tutor = (
        InstructorFactory(last_name="Teachers"),
        InstructorFactory(last_name="Tutorelli"),
    )
    SessionRegister.objects.create(
        session=sessions[0],
        topics_covered="Slicing <b>PLA</b>",
        teacher=teacher,
        tutor=tutor,
        started_at=sessions[0].start,
        ended_at=sessions[0].end,
    )
    AttendanceRecord.objects.create(
        enrolment=enrolments[0],
        session=sessions[0],
        status="late",
        minutes_present=90,
        entered_at=sessions[0].end - datetime.timedelta(minutes=90),
        exited_at=sessions[0].end,
        recorded_at=sessions[0].end,
    )
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(render(edition))).pages
    )
    assert "Slicing <b>PLA</b>" in text
    assert "Teachers" in text and "Tutorelli" in text
    assert "11:30" in text and "13:00" in text
    assert "1,50" in text and "90'" in text
