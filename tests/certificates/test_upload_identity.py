"""An uploaded PDF is identified by what the school signed, not by the whole
file's hash (issue 25): bytes outside the signed ranges (the signature's hex
string) may change without changing what the certificate is, and a revoked
certificate never escapes its revocation that way."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import selectors, services
from tests.certificates.test_verify_cases import _annotation_added

pytestmark = pytest.mark.django_db

_CONTENTS = re.compile(rb"/Contents\s*<([0-9A-Fa-f]+)>")


def _pdf(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def _hex_case_changed(content: bytes) -> bytes:
    """The signature container's hex digits in the other case: outside the
    signed byte ranges, so the signature stays valid and the file's hash
    changes."""
    match = _CONTENTS.search(content)
    assert match is not None
    digits = match.group(1)
    other = digits.lower() if digits.lower() != digits else digits.upper()
    assert other != digits  # there is something to change
    changed = content[: match.start(1)] + other + content[match.end(1) :]
    assert changed != content and len(changed) == len(content)
    return changed


def _incremental_update(content: bytes) -> bytes:
    """A new revision appended after signing that changes what a reader sees
    (a note on the page). An update that only adds validation data, document
    timestamps or objects nobody refers to is not a modification
    (test_verify_cases)."""
    return _annotation_added(content)


def _upload(client, content: bytes):
    return client.post(
        reverse("certificates:verify_start"),
        {"pdf": SimpleUploadedFile("c.pdf", content, content_type="application/pdf")},
    )


def _upload_json(client, content: bytes):
    return client.post(
        reverse("certificates_api:upload"),
        {"pdf": SimpleUploadedFile("c.pdf", content, content_type="application/pdf")},
    )


def test_the_signed_digest_is_stored_at_issue(certificate):
    check = selectors.certificate_from_pdf(pdf=_pdf(certificate))
    assert certificate.signed_digest and len(certificate.signed_digest) == 64
    assert check.certificate == certificate and check.exact and not check.modified


def test_hex_case_changed_valid_certificate_is_still_that_certificate(
    client, certificate
):
    content = _hex_case_changed(_pdf(certificate))
    html = _upload(client, content).content.decode()
    assert certificate.serial in html
    assert "Valid certificate" in html
    assert "not a certificate the school issued" not in html
    assert "only where the PDF signature standard allows" in html.replace("&#x27;", "'")
    data = _upload_json(client, content).json()
    assert data["identified"] is True and data["modified"] is False
    assert data["certificate"]["serial"] == certificate.serial
    assert data["certificate"]["status"] == "valid"
    assert data["signature"]["genuine"] is True


def test_hex_case_changed_revoked_certificate_shows_revoked(client, certificate):
    content = _hex_case_changed(_pdf(certificate))
    services.certificate_revoke(
        certificate=certificate, actor=None, reason="Dati errati"
    )
    html = _upload(client, content).content.decode()
    assert certificate.serial in html
    assert "Revoked certificate" in html and "Dati errati" in html
    assert "Valid certificate" not in html
    data = _upload_json(client, content).json()
    assert data["certificate"]["serial"] == certificate.serial
    assert data["certificate"]["status"] == "revoked"
    assert data["certificate"]["revoked_reason"] == "Dati errati"


def test_revoked_certificate_uploaded_as_issued_shows_revoked(client, certificate):
    content = _pdf(certificate)
    services.certificate_revoke(certificate=certificate, actor=None, reason="Errore")
    html = _upload(client, content).content.decode()
    assert "Revoked certificate" in html and "Valid certificate" not in html


def test_incremental_update_after_signing_shows_as_modified(client, certificate):
    content = _incremental_update(_pdf(certificate))
    check = selectors.certificate_from_pdf(pdf=content)
    assert check.signature.intact and not check.signature.covers_whole_file
    assert check.modified and not check.exact
    html = _upload(client, content).content.decode()
    assert "content was added to the file after signing" in html
    assert "as the school issued it" not in html
    assert "Valid certificate" not in html
    data = _upload_json(client, content).json()
    assert data["modified"] is True and data["signature"]["genuine"] is False
    # What it was made from is named, with that certificate's status.
    assert data["certificate"]["serial"] == certificate.serial


def test_incremental_update_of_a_revoked_certificate_says_revoked(client, certificate):
    content = _incremental_update(_pdf(certificate))
    services.certificate_revoke(certificate=certificate, actor=None, reason="Errore")
    html = _upload(client, content).content.decode()
    assert "Revoked certificate" in html and "Valid certificate" not in html
    assert _upload_json(client, content).json()["certificate"]["status"] == "revoked"


def test_json_upload_of_a_file_that_is_no_certificate(client, site):
    response = _upload_json(client, b"%PDF-1.7\n%garbage, truncated")
    assert response.status_code == 200
    data = response.json()
    assert data["identified"] is False and data["certificate"] is None
    assert response["Access-Control-Allow-Origin"] == "*"
    refused = _upload_json(client, b"PK\x03\x04 a zip")
    assert refused.status_code == 400 and "pdf" in refused.json()["errors"]


def test_the_migration_fills_the_digest_of_certificates_issued_before(certificate):
    import importlib

    from django.apps import apps

    from certificates.models import Certificate

    migration = importlib.import_module(
        "certificates.migrations.0003_add_certificate_signed_digest"
    )
    expected = certificate.signed_digest
    Certificate.objects.filter(pk=certificate.pk).update(signed_digest="")
    migration.signed_digests_fill(apps, None)
    certificate.refresh_from_db()
    assert certificate.signed_digest == expected
