"""Finding 29: text that people type (course titles, codes, venue, names, the
school's settings) prints literally in every PDF: reportlab's markup in it
(<img src="/etc/...">, <a href="javascript:...">, a stray "<") embeds no file,
adds no link and breaks no export."""

from io import BytesIO

import pytest
from django.utils import translation
from django.utils.functional import empty
from pypdf import PdfReader

from attendance.exports import register_file
from attendance.selectors import edition_attendance
from certificates import services as certificate_services
from certificates.models import private_storage
from cms.models import SiteSettings
from courses.models import Competency, CourseEdition, CoursePage, Venue
from tests.factories import edition_completed

pytestmark = pytest.mark.django_db

# SHORT fits a 20-character code; the other fields get LONG.
SHORT = '<img src="/etc/x"/>'
LONG = (
    '<img src="/etc/hostname" width="40" height="40"/> <a href="javascript:alert(1)">'
)
LONG += "click</a> & <b"


def _annotations(reader: PdfReader) -> list:
    return [
        annotation.get_object()
        for page in reader.pages
        for annotation in (page.get("/Annots") or [])
    ]


def _images(reader: PdfReader) -> list:
    found = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        found += [
            x.get_object()
            for x in xobjects.values()
            if x.get_object().get("/Subtype") == "/Image"
        ]
    return found


def _text(reader: PdfReader) -> str:
    # Long cells wrap: compare without line breaks and spaces.
    text = "".join(page.extract_text() for page in reader.pages)
    return "".join(text.split())


def _squeezed(value: str) -> str:
    return "".join(value.split())


def _hostile_edition():
    edition, sessions, enrolments = edition_completed(trainees=1, competencies=1)
    CoursePage.objects.filter(pk=edition.course_id).update(title=LONG, code=SHORT)
    CourseEdition.objects.filter(pk=edition.pk).update(code=SHORT + "E")
    Venue.objects.filter(pk=edition.venue_id).update(name=LONG, address=LONG)
    Competency.objects.filter(courses=edition.course_id).update(title=LONG)
    trainee = enrolments[0].trainee
    trainee.first_name, trainee.last_name = LONG[:150], SHORT
    trainee.save()
    edition = CourseEdition.objects.select_related("course", "venue").get(pk=edition.pk)
    return edition, enrolments


def test_register_pdf_prints_markup_literally(settings):
    settings.MAKERS_SCHOOL_NAME = LONG
    settings.MAKERS_SCHOOL_ADDRESS = LONG
    edition, _ = _hostile_edition()
    with translation.override("en"):
        _, mimetype, content = register_file(
            summary=edition_attendance(edition=edition), fmt="pdf"
        )
    assert mimetype == "application/pdf"
    reader = PdfReader(BytesIO(content))
    text = _text(reader)
    assert _squeezed(LONG) in text
    assert _squeezed(SHORT + "E") in text
    assert _annotations(reader) == []
    assert _images(reader) == []


def test_certificate_pdf_prints_markup_literally(site, signing_key, settings, tmp_path):
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    site_settings = SiteSettings.load()
    site_settings.school_name = LONG[:100]
    site_settings.address = LONG[:100]
    site_settings.save()
    edition, enrolments = _hostile_edition()
    try:
        certificate = certificate_services.certificate_issue(
            enrolment=enrolments[0], actor=None
        )
        with certificate.pdf.open("rb") as handle:
            reader = PdfReader(BytesIO(handle.read()))
    finally:
        private_storage._wrapped = empty
    text = _text(reader)
    assert _squeezed(SHORT) in text
    assert _squeezed(LONG[:60]) in text
    # Only the signature's own field; no link, no image (no logo is set).
    links = [a for a in _annotations(reader) if a.get("/Subtype") == "/Link"]
    assert links == []
    assert _images(reader) == []
