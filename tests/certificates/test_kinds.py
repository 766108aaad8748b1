"""The two kinds of certificate, what each prints (both languages), the
registration number, the frozen content and the "Add to LinkedIn" link."""

import datetime
import html as html_module
import re
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from certificates import services
from certificates.issuing import certificate_render
from certificates.models import Certificate, CertificateKind
from certificates.selectors import enrolment_eligibility
from certificates.services import verification_url
from tests.certificates.referenced import edition_referenced
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

REFERENCES = [
    {
        "esco_uri": "http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8",
        "ada_code": "ADA.10.01.07",
        "qualification": "Operatore meccanico",
        "ateco_code": "25.62.00",
        "cp_istat_code": "7.2.1.1.0",
        "assessment_method": "Prova pratica",
        "assessment_method_en": "Practical test",
    },
    {
        "esco_uri": "http://data.europa.eu/esco/occupation/7833d5cd-873d-4fdd-b2f8-9762d68494a7",
        "ada_code": "ADA.7.61.186",
        "qualification": "Tecnico della robotica",
        "ateco_code": "62.01",
        "cp_istat_code": "3.1.3.1.0",
        "assessment_method": "Colloquio tecnico",
        "assessment_method_en": "Technical interview",
    },
]


@pytest.fixture
def referenced(site, settings):
    """A completed edition whose two competencies carry every reference, its
    trainee with a codice fiscale, the school with an accreditation."""
    return edition_referenced(
        settings=settings, references=REFERENCES, given="Giulia", family="Ferraris"
    )


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _stored(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def _flat(text: str) -> str:
    """The text with its line breaks (table cells wrap) as spaces."""
    return " ".join(text.split())


def test_a_certificate_of_competence_prints_what_the_law_asks(referenced):
    _, enrolments = referenced
    certificate = services.certificate_issue(enrolment=enrolments[0], actor=None)
    assert certificate.kind == CertificateKind.COMPETENCY
    text = _flat(_text(_stored(certificate)))
    for expected in (
        "ATTESTATO DI COMPETENZE",
        "Certificate of competence",
        "D.Lgs. 16 gennaio 2013, n. 13, art. 6",
        "Legislative Decree 13/2013, art. 6",
        "Giulia Ferraris0",
        "Codice fiscale / Tax code: RSSMRA85T10A562S",
        f"N. di registrazione / Registration no. {certificate.serial}",
        "Accreditamento / Accreditation: Regione Piemonte, accreditamento n. 1234/001",
        "Livello EQF / EQF level",
        "Repertorio: Atlante del Lavoro (ADA) / Repertory: Atlante del Lavoro (ADA)",
        "Qualificazione / Qualification",
        "CP ISTAT 2011",
        "Modalità di apprendimento: apprendimento formale: corso di 40 ore",
        "How it was learned: formal learning: a 40-hour course",
        "Modalità di valutazione / How it was assessed",
        "Ente titolato / Issuing body",
    ):
        assert expected in text, expected
    for references in REFERENCES:
        for field in ("ada_code", "cp_istat_code", "assessment_method"):
            assert references[field] in text, references[field]
        assert references["ateco_code"] in text
        assert references["esco_uri"] in text.replace(" ", "")
        assert references["assessment_method_en"] in text
    assert "ADA.10.01.07" in certificate.printed["competencies"][0]["ada_code"]


def test_a_certificate_of_attendance_prints_attendance_only(referenced):
    _, enrolments = referenced
    certificate = services.certificate_issue(
        enrolment=enrolments[0], actor=None, kind=CertificateKind.ATTENDANCE
    )
    reader = PdfReader(BytesIO(_stored(certificate)))
    assert len(reader.pages) == 1  # no annex of competencies
    text = _flat(_text(_stored(certificate)))
    for expected in (
        "ATTESTATO DI FREQUENZA",
        "Certificate of attendance",
        "ha frequentato il corso / has attended the course",
        "frequenza 100 %",
        "attendance 100 %",
        "40 ore",
        "40 hours",
        f"N. di registrazione / Registration no. {certificate.serial}",
    ):
        assert expected in text, expected
    for absent in ("RSSMRA85T10A562S", "Competenze acquisite", "ADA.10.01.07"):
        assert absent not in text
    assert certificate.competencies == []


def test_attendance_needs_no_competency_achieved(referenced):
    edition, enrolments = referenced
    enrolments[1].assessments.update(achieved=False)
    competency = enrolment_eligibility(enrolment=enrolments[1])
    attendance = enrolment_eligibility(
        enrolment=enrolments[1], kind=CertificateKind.ATTENDANCE
    )
    assert not competency.eligible and attendance.eligible
    certificate = services.certificate_issue(
        enrolment=enrolments[1], actor=None, kind=CertificateKind.ATTENDANCE
    )
    assert certificate.kind == CertificateKind.ATTENDANCE
    with pytest.raises(services.CertificateError):
        services.certificate_issue(enrolment=enrolments[1], actor=None)
    assert Certificate.objects.filter(enrolment=enrolments[1]).count() == 1


def test_registration_numbers_are_unique_and_sequential(referenced):
    _, enrolments = referenced
    first = services.certificate_issue(enrolment=enrolments[0], actor=None)
    again = services.certificate_issue(enrolment=enrolments[0], actor=None)
    other = services.certificate_issue(enrolment=enrolments[1], actor=None)
    attendance = services.certificate_issue(
        enrolment=enrolments[0], actor=None, kind=CertificateKind.ATTENDANCE
    )
    assert again.pk == first.pk  # the same enrolment and kind: the same one
    serials = [first.serial, other.serial, attendance.serial]
    assert len(set(serials)) == 3
    prefix, year, _ = first.serial.split("-")
    numbers = [int(serial.rsplit("-", 1)[1]) for serial in serials]
    assert numbers == list(range(numbers[0], numbers[0] + 3))
    assert all(serial.startswith(f"{prefix}-{year}-") for serial in serials)
    assert Certificate.objects.filter(enrolment=enrolments[0]).count() == 2


def test_the_frozen_content_renders_the_same_after_edits(referenced):
    edition, enrolments = referenced
    certificate = services.certificate_issue(enrolment=enrolments[0], actor=None)
    before = _text(certificate_render(certificate=certificate))
    course = edition.course
    course.title = "Un altro titolo"
    course.save_revision().publish()
    for competency in course.competencies.all():
        competency.title = "Cambiato"
        competency.ada_code = "ADA.1.1.1"
        competency.ateco_code = "01"
        competency.save()
    trainee = enrolments[0].trainee
    trainee.first_name, trainee.codice_fiscale = "Altro", ""
    trainee.save()
    certificate = Certificate.objects.get(pk=certificate.pk)
    after = _text(certificate_render(certificate=certificate))
    assert after == before
    assert "Cambiato" not in after and "ADA.1.1.1" not in after
    # The stored, signed PDF says the same words as the re-rendered one.
    assert _text(_stored(certificate)) == before


def _linkedin(url: str) -> dict:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://www.linkedin.com/profile/add"
    )
    return {key: values[0] for key, values in parse_qs(parts.query).items()}


def _linkedin_links(html: str) -> list[str]:
    return [
        html_module.unescape(match)
        for match in re.findall(r'href="([^"]+)"[^>]*data-linkedin-add', html)
    ]


def test_my_certificates_offers_add_to_linkedin(client, referenced):
    _, enrolments = referenced
    certificate = services.certificate_issue(
        enrolment=enrolments[0], actor=None, valid_until=datetime.date(2031, 3, 31)
    )
    client.force_login(certificate.holder)
    html = client.get(reverse("portal:certificates")).content.decode()
    (link,) = _linkedin_links(html)
    query = _linkedin(link)
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.course_title_en or certificate.course_title,
        "organizationName": certificate.issuer_name,
        "issueYear": str(certificate.issued_on.year),
        "issueMonth": str(certificate.issued_on.month),
        "expirationYear": "2031",
        "expirationMonth": "3",
        "certUrl": verification_url(code=certificate.verification_code),
        "certId": certificate.serial,
    }


def test_the_certificate_page_offers_it_to_its_holder_only(client, referenced):
    _, enrolments = referenced
    certificate = services.certificate_issue(enrolment=enrolments[0], actor=None)
    page = reverse("certificates:verify", args=[certificate.verification_code])
    assert _linkedin_links(client.get(page).content.decode()) == []
    client.force_login(enrolments[1].trainee)
    assert _linkedin_links(client.get(page).content.decode()) == []
    client.force_login(certificate.holder)
    (link,) = _linkedin_links(client.get(page).content.decode())
    query = _linkedin(link)
    assert query["certId"] == certificate.serial
    assert "expirationYear" not in query  # no expiry, none given
    services.certificate_revoke(certificate=certificate, actor=None, reason="Errore")
    assert _linkedin_links(client.get(page).content.decode()) == []
    mine = client.get(reverse("portal:certificates")).content.decode()
    assert _linkedin_links(mine) == []


def test_staff_issue_a_certificate_of_attendance_from_the_edition(client, referenced):
    edition, enrolments = referenced
    enrolments[1].assessments.update(achieved=False)
    staff = StaffFactory()
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(staff)
    url = reverse("certificates_admin:edition", args=[edition.pk])
    html = client.get(url).content.decode()
    assert "Issue a certificate of attendance" in html
    response = client.post(
        url, {"enrolment": enrolments[1].pk, "kind": "badge"}, follow=True
    )
    assert "Unknown kind of certificate." in response.content.decode()
    assert not Certificate.objects.filter(enrolment=enrolments[1]).exists()
    response = client.post(
        url, {"enrolment": enrolments[1].pk, "kind": "attendance"}, follow=True
    )
    (certificate,) = Certificate.objects.filter(enrolment=enrolments[1])
    assert certificate.kind == CertificateKind.ATTENDANCE
    assert f"Certificate {certificate.serial} issued." in response.content.decode()


def test_a_certificate_issued_before_frozen_contents_still_renders(referenced):
    _, enrolments = referenced
    certificate = services.certificate_issue(enrolment=enrolments[0], actor=None)
    Certificate.objects.filter(pk=certificate.pk).update(printed={})
    certificate = Certificate.objects.get(pk=certificate.pk)
    text = _flat(_text(certificate_render(certificate=certificate)))
    assert certificate.serial in text and "Giulia Ferraris0" in text
    assert "ADA.10.01.07" in text
