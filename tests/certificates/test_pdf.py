import shutil
import subprocess
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from pypdf import PdfReader, PdfWriter
from wagtail.images import get_image_model

from certificates import services
from certificates.services import verification_url
from certificates.signing import pdf_signature_check
from cms.models import SiteSettings
from tests.factories import edition_completed

pytestmark = pytest.mark.django_db


def _bytes(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def test_pdf_says_what_was_certified(certificate):
    reader = PdfReader(BytesIO(_bytes(certificate)))
    page = reader.pages[0]
    width, height = page.mediabox.width, page.mediabox.height
    assert width > height  # A4 landscape
    text = page.extract_text()
    assert "Niccolò Dell'Àcqua" in text
    assert certificate.course_title in text
    assert certificate.course_code in text
    assert certificate.serial in text
    assert verification_url(code=certificate.verification_code) in text
    assert "Competenze acquisite / Competencies achieved" in text
    assert certificate.competencies[0]["code"] in text
    # A certificate of competence names the holder by codice fiscale too
    # (D.Lgs. 13/2013 art. 6); the public pages never show it.
    assert "Codice fiscale / Tax code: RSSMRA85T10A562S" in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVuSans" in name or "Vera" in name for name in fonts)


def test_signature_is_the_schools_and_intact(certificate):
    report = pdf_signature_check(pdf=_bytes(certificate))
    assert report.signed and report.intact and report.by_school
    # PAdES B-LTA: the DSS and the document timestamp come after the signature.
    assert report.only_ltv_updates and report.genuine and report.long_term


def test_one_byte_changed_breaks_the_signature(certificate):
    content = bytearray(_bytes(certificate))
    # A byte inside the signed range (the page content stream).
    position = len(content) // 3
    content[position] ^= 0x01
    report = pdf_signature_check(pdf=bytes(content))
    assert not report.genuine


def test_text_edited_and_saved_again_is_not_genuine(certificate):
    reader = PdfReader(BytesIO(_bytes(certificate)))
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/Title": "Attestato falso"})
    out = BytesIO()
    writer.write(out)
    report = pdf_signature_check(pdf=out.getvalue())
    assert not report.genuine


def test_another_key_is_not_the_school(certificate, tmp_path, settings):
    from certificates.signing import (
        DEV_PASSPHRASE_NAME,
        dev_signing_key_create,
        signing_key_load,
    )

    original = _bytes(certificate)
    other = dev_signing_key_create(directory=tmp_path / "other")
    settings.MAKERS_SIGNING_P12 = str(other)
    settings.MAKERS_SIGNING_PASSPHRASE_FILE = tmp_path / "other" / DEV_PASSPHRASE_NAME
    report = pdf_signature_check(pdf=original, key=signing_key_load())
    assert report.signed and report.intact and not report.by_school


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed")
def test_qpdf_check_passes(certificate, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(_bytes(certificate))
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils not installed")
def test_pdfsig_says_the_signature_is_valid(certificate, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(_bytes(certificate))
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    assert "Signature is Valid" in result.stdout


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools not installed")
@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")
def test_qr_code_decodes_to_the_verification_url(certificate, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(_bytes(certificate))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", str(path), str(tmp_path / "page")],
        check=True,
    )
    image = sorted(tmp_path.glob("page*.png"))[0]  # page one (the annex follows)
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True
    )
    assert result.stdout.strip() == verification_url(code=certificate.verification_code)


def _images(page) -> list:
    xobjects = page["/Resources"].get("/XObject") or {}
    return [
        xobject.get_object()
        for xobject in xobjects.values()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]


def test_header_and_logo_come_from_the_site_settings(site, settings, tmp_path):
    """Staff set the school's name, address and logo in the admin's site
    settings; the next certificate prints them (the monogram without a logo)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    edition, sessions, enrolments = edition_completed(trainees=2)
    without_logo = services.certificate_issue(enrolment=enrolments[0], actor=None)
    page = PdfReader(BytesIO(_bytes(without_logo))).pages[0]
    assert _images(page) == []

    picture = BytesIO()
    PillowImage.new("RGB", (600, 600), (11, 79, 138)).save(picture, "PNG")
    logo = get_image_model()(
        title="Logo", file=ImageFile(picture, name="logo.png"), width=600, height=600
    )
    logo.save()
    site_settings = SiteSettings.load()
    site_settings.school_name = "Scuola dei Makers MTC"
    site_settings.address = "Corso Settembrini 178"
    site_settings.postcode_city = "10135 Torino"
    site_settings.logo = logo
    site_settings.save()

    with_logo = services.certificate_issue(enrolment=enrolments[1], actor=None)
    page = PdfReader(BytesIO(_bytes(with_logo))).pages[0]
    (image,) = _images(page)
    assert int(image["/Width"]) <= 300  # the small rendition, not the upload
    text = page.extract_text()
    assert "Scuola dei Makers MTC" in text
    assert "Corso Settembrini 178, 10135 Torino" in text
    assert with_logo.issuer_name == "Scuola dei Makers MTC"
