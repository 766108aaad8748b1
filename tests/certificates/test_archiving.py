"""Archival re-timestamping (issue 21): before the timestamp authority's
certificate expires, a stored certificate gets a new document timestamp over
the validation data of the last one; the file stays PAdES B-LTA, and copies
downloaded before keep verifying."""

import datetime
import shutil
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from pyhanko.pdf_utils.reader import PdfFileReader

from certificates.archiving import certificates_retimestamp
from certificates.models import Certificate
from certificates.signing import pdf_signature_check, signing_key_load
from certificates.signing.archive import pdf_archive_timestamp_expiry
from core.audit import audit_entries
from tests.certificates.test_lta import _pdfsig, etsi_lta_validation

pytestmark = pytest.mark.django_db


def _pdf(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def _timestamps(pdf: bytes) -> int:
    return len(PdfFileReader(BytesIO(pdf)).embedded_timestamp_signatures)


def _after_expiry(pdf: bytes) -> datetime.datetime:
    """A moment past the expiry of the last timestamp's authority certificate:
    derived from the file, not from the wall clock."""
    return pdf_archive_timestamp_expiry(pdf=pdf) + datetime.timedelta(days=1)


def test_a_due_certificate_gets_a_new_document_timestamp(
    certificate, django_capture_on_commit_callbacks
):
    before = _pdf(certificate)
    old_name = certificate.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        result = certificates_retimestamp(within_days=0, now=_after_expiry(before))
    assert result.extended == [certificate.serial] and not result.failed
    certificate = Certificate.objects.get(pk=certificate.pk)
    after = _pdf(certificate)
    assert after.startswith(before) and _timestamps(after) == 2
    assert certificate.pdf_size == len(after)
    assert certificate.pdf.name != old_name
    assert not certificate.pdf.storage.exists(old_name)
    result = etsi_lta_validation(after, trust_roots=signing_key_load().trust_roots)
    assert result.ades_subindic.status.name == "PASSED"
    assert audit_entries(instance=certificate, prefix="makers.certificate.").filter(
        action="makers.certificate.retimestamped"
    )
    # The extended file and the copy downloaded before are both the certificate.
    for pdf in (before, after):
        report = pdf_signature_check(pdf=pdf)
        assert report.genuine and report.long_term
        assert report.signed_digest == certificate.signed_digest


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils not installed")
def test_the_last_revision_is_still_a_wholly_signed_timestamp(certificate, tmp_path):
    certificates_retimestamp(within_days=0, now=_after_expiry(_pdf(certificate)))
    path = tmp_path / "c.pdf"
    path.write_bytes(_pdf(Certificate.objects.get(pk=certificate.pk)))
    signature, _first, last = _pdfsig(path)
    assert "Signature is Valid." in signature
    assert "Total document signed" in last


def test_the_extended_file_verifies_on_the_page(client, certificate):
    certificates_retimestamp(within_days=0, now=_after_expiry(_pdf(certificate)))
    content = _pdf(Certificate.objects.get(pk=certificate.pk))
    with translation.override("en"):
        url = reverse("certificates_api:upload")
    upload = {"pdf": SimpleUploadedFile("c.pdf", content, "application/pdf")}
    data = client.post(url, upload).json()
    assert data["identified"] and data["signature"]["genuine"]
    assert data["signature"]["document_timestamps"] == 2


def test_with_the_test_pki(pki_certificate, local_pki):
    pdf = _pdf(pki_certificate)
    result = certificates_retimestamp(within_days=0, now=_after_expiry(pdf))
    assert result.extended == [pki_certificate.serial]
    after = _pdf(Certificate.objects.get(pk=pki_certificate.pk))
    assert _timestamps(after) == 2
    root = local_pki.arch.get_cert("root")
    status = etsi_lta_validation(after, trust_roots=[root]).ades_subindic.status
    assert status.name == "PASSED"


def test_a_certificate_not_due_is_left_alone(certificate):
    before = _pdf(certificate)
    far = pdf_archive_timestamp_expiry(pdf=before) - datetime.timedelta(days=400)
    result = certificates_retimestamp(within_days=365, now=far)
    assert result.checked == 1 and not result.extended
    assert _pdf(Certificate.objects.get(pk=certificate.pk)) == before


def test_without_a_timestamp_authority_nothing_changes(pki_certificate, settings):
    before = _pdf(pki_certificate)
    settings.MAKERS_TSA_URL = ""  # the test PKI's key alone: no authority
    with pytest.raises(CommandError):
        call_command("certificates_retimestamp", "--within-days", "100000")
    certificate = Certificate.objects.get(pk=pki_certificate.pk)
    assert _pdf(certificate) == before
    assert certificate.pdf_sha256 == pki_certificate.pdf_sha256


def test_the_command_says_what_it_did(certificate, capsys):
    call_command("certificates_retimestamp", "--within-days", "100000")
    assert "Checked 1, re-timestamped 1, failed 0." in capsys.readouterr().out
