"""Certificates as PDF/A-2b and tagged PDF (issue 21), both kinds, before and
after signing: structural checks that name what they check
(tests/certificates/pdfa_checks.py; veraPDF is not available here), the
reading order of the structure tree, and pdfsig still calling the signature
valid."""

import shutil
import subprocess

import pytest
from PIL import Image as PillowImage
from pypdf.generic import ContentStream

from certificates import services
from certificates.issuing import certificate_render
from certificates.models import CertificateKind
from certificates.pdf import CertificateRenderer
from certificates.services import verification_url
from tests.certificates.pdfa_checks import (
    content_language_texts,
    pdfa_problems,
    reader_of,
    reading_sequence,
    struct_elements,
    tagging_problems,
)
from tests.factories import edition_completed

pytestmark = pytest.mark.django_db


def _stored(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


@pytest.fixture(params=[CertificateKind.COMPETENCY, CertificateKind.ATTENDANCE])
def issued(request, site):
    """A certificate of each kind, issued (and so signed) to Niccolò Dell'Àcqua."""
    _edition, _sessions, enrolments = edition_completed(trainees=1)
    trainee = enrolments[0].trainee
    trainee.first_name, trainee.last_name = "Niccolò", "Dell'Àcqua"
    trainee.codice_fiscale = "RSSMRA85T10A562S"
    trainee.save()
    return services.certificate_issue(
        enrolment=enrolments[0], actor=None, kind=request.param
    )


@pytest.fixture(params=["unsigned", "signed"])
def pdf(request, issued) -> bytes:
    """The certificate's PDF as drawn, and as the school signed it (PAdES
    B-LTA: incremental updates over the drawn file)."""
    if request.param == "unsigned":
        return certificate_render(certificate=issued)
    return _stored(issued)


def test_certificate_is_pdfa_2b_structurally(pdf):
    assert pdfa_problems(pdf) == []


def test_certificate_is_tagged(pdf):
    assert tagging_problems(pdf, lang="it-IT") == []


def _expected_order(certificate) -> list[str]:
    """Key phrases of the certificate, top to bottom, page by page."""
    url = verification_url(code=certificate.verification_code)
    competency = certificate.kind == CertificateKind.COMPETENCY
    title = "ATTESTATO DI COMPETENZE" if competency else "ATTESTATO DI FREQUENZA"
    phrases = [
        "Logo di Makers' School",
        "Makers' School",
        f"N. di registrazione / Registration no. {certificate.serial}",
        title,
        "Certificate of competence" if competency else "Certificate of attendance",
        "Si attesta che / This is to certify that",
        "Niccolò Dell'Àcqua",
        "ha frequentato il corso / has attended the course",
        certificate.course_title,
        f"Codice corso / Course code: {certificate.course_code}",
        "dal ",
        "from ",
    ]
    if certificate.competencies:
        phrases += [
            "Competenze acquisite / Competencies achieved",
            certificate.competencies[0]["code"],
            certificate.competencies[-1]["code"],
        ]
    phrases += [
        "Luogo e data di rilascio / Place and date of issue",
        "Documento firmato digitalmente dalla scuola",
        "Verifica l'autenticità / Verify it",
        f"QR code: verify this certificate at {url}",
        url,
    ]
    if competency:
        phrases += [
            "Allegato: competenze e riferimenti",
            "Annex: competencies and references",
            "Modalità di apprendimento:",
            "How it was learned:",
            "Ente titolato / Issuing body",
            "Competenza / Competence",
            certificate.competencies[0]["code"],
            certificate.competencies[-1]["code"],
        ]
    return phrases


def test_reading_order_is_the_certificates_order(pdf, issued):
    """The structure elements' texts, in order, read the certificate from top
    to bottom: each key phrase is found after the one before."""
    texts = [text for _role, _lang, text in reading_sequence(pdf)]
    position = 0
    for phrase in _expected_order(issued):
        found = next(
            (i for i in range(position, len(texts)) if phrase in texts[i]), None
        )
        assert found is not None, (
            f"reading order: {phrase!r} after {texts[position - 1]!r}"
        )
        position = found + 1


def test_english_parts_carry_lang_en_and_figures_alt(pdf, issued):
    sequence = reading_sequence(pdf)
    english = {text for _role, lang, text in sequence if lang == "en"}
    title_en = "Certificate of competence"
    if issued.kind == CertificateKind.ATTENDANCE:
        title_en = "Certificate of attendance"
    expected = {title_en} | {
        text for _role, _lang, text in sequence if text.startswith(("from ", "QR code"))
    }
    if issued.kind == CertificateKind.COMPETENCY:
        expected.add("Annex: competencies and references")
    assert expected <= english, f"Lang en missing on {expected - english}"
    assert len(expected) >= 3
    italian_only = [text for _r, lang, text in sequence if text.startswith("dal ")]
    assert italian_only and not any(text in english for text in italian_only)
    figures = [(role, text) for role, _lang, text in sequence if role == "Figure"]
    url = verification_url(code=issued.verification_code)
    assert figures == [
        ("Figure", "Logo di Makers' School"),
        ("Figure", f"QR code: verify this certificate at {url}"),
    ]


def test_the_annex_marks_its_english_lines_as_english(pdf, issued):
    """In the annex's cells each competence's English title (and English
    assessment method) is its own line, marked content with Lang en; the
    Italian ones are not."""
    if issued.kind != CertificateKind.COMPETENCY:
        pytest.skip("only a certificate of competence has the annex")
    english = content_language_texts(pdf).get("en", "")
    for item in issued.competencies:
        assert item["title_en"] in english, item["title_en"]
        assert item["title"] not in english, item["title"]


def test_tables_have_rows_header_and_data_cells(pdf, issued):
    reader = reader_of(pdf)
    roles = [str(element["/S"]) for element, _ in struct_elements(reader)]
    tables = roles.count("/Table")
    # Page one lists the competencies (an attendance certificate has none
    # here); the annex of a certificate of competence is a table.
    expected = (1 if issued.competencies else 0) + (
        1 if issued.kind == CertificateKind.COMPETENCY else 0
    )
    assert tables == expected
    rows = len(issued.competencies) + 1
    assert roles.count("/TR") == rows * tables
    if tables:
        assert "/TH" in roles and "/TD" in roles


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils not installed")
def test_pdfsig_says_the_tagged_certificate_is_valid(issued, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(_stored(issued))
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    assert "Signature is Valid" in result.stdout


def test_a_logo_image_is_a_figure_with_alt(site, tmp_path):
    """With the school's logo (a PNG with transparency): the image is drawn
    inside the Figure's marked content, the file stays PDF/A-2b and tagged."""
    _edition, _sessions, enrolments = edition_completed(trainees=1)
    certificate = services.certificate_issue(enrolment=enrolments[0], actor=None)
    logo = tmp_path / "logo.png"
    PillowImage.new("RGBA", (120, 120), (11, 79, 138, 128)).save(logo)
    _name, _mime, pdf = CertificateRenderer(
        content=certificate.printed, logo_path=str(logo)
    ).generate()
    assert pdfa_problems(pdf) == []
    assert tagging_problems(pdf) == []
    page = reader_of(pdf).pages[0]
    operations = ContentStream(page.get_contents(), page.pdf).operations
    tags, images = [], 0
    for operands, operator in operations:
        if operator == b"BDC" or operator == b"BMC":
            tags.append(str(operands[0]))
        elif operator == b"EMC":
            tags.pop()
        elif operator == b"Do":
            images += 1
            assert tags == ["/Figure"], "the logo image inside /Figure marked content"
    assert images == 1
    assert reading_sequence(pdf)[0] == ("Figure", "", "Logo di Makers' School")
