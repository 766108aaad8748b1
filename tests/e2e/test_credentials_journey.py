"""Issue 21's browser journey: the three forms of a certificate.

The demo trainee allievo@makers-school.example opens "My certificates" and
downloads the valid certificate of competence in every form: the PDF (its
magic), the Open Badge VC-JWT (three parts, verified with the school's JWK
Set and status list) and the Europass credential (a JWS whose payload is the
EDC JSON-LD, verified with the school's chain); the "Add to LinkedIn" link
carries the certificate's name, issuer, dates, credential id and verification
URL (checked, not followed). A visitor then uploads each file to /verify/ and
sees it genuine. axe finds no serious or critical violation on each page.
"""

import base64
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from certificates.credentials.upload import credential_check
from certificates.credentials.verify import openbadge_verify
from certificates.europass import europass_verify
from certificates.models import Certificate, CertificateKind, CertificateStatus
from certificates.services import verification_url
from people.models import User
from tests.e2e.conftest import axe_check, italian, sign_in_as

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TRAINEE = "allievo@makers-school.example"


def _download(page, row, selector: str, journey, name: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        row.locator(selector).click()
    download = info.value
    body = Path(download.path()).read_bytes()
    (journey.directory / download.suggested_filename).write_bytes(body)
    return download.suggested_filename, body


def _payload(token: bytes) -> dict:
    part = token.split(b".")[1]
    return json.loads(base64.urlsafe_b64decode(part + b"=" * (-len(part) % 4)))


def _check_linkedin(row, certificate) -> None:
    """The link opens LinkedIn's form filled in; it is read, never followed."""
    href = row.locator("a[data-linkedin-add]").get_attribute("href")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "www.linkedin.com",
        "/profile/add",
    )
    params = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert params["startTask"] == "CERTIFICATION_NAME"
    assert params["name"] == certificate.course_title
    assert params["organizationName"] == certificate.issuer_name
    assert params["issueYear"] == str(certificate.issued_on.year)
    assert params["issueMonth"] == str(certificate.issued_on.month)
    assert params["certId"] == certificate.serial
    assert params["certUrl"] == verification_url(code=certificate.verification_code)
    if certificate.valid_until:
        assert params["expirationYear"] == str(certificate.valid_until.year)
    else:
        assert "expirationYear" not in params


def _trainee_downloads(new_page, live_server, journey, certificate) -> dict:
    page = new_page()
    sign_in_as(page, live_server, User.objects.get(email=TRAINEE))
    page.goto(live_server.url + reverse("portal:certificates"))
    expect(page.locator("h1")).to_have_text(italian("My certificates"))
    journey.shot(page, "my-certificates")
    axe_check(page, journey=journey, name="my-certificates")
    row = page.locator("tr", has_text=certificate.serial)
    files = {}
    for form, selector in (
        (
            "pdf",
            f"a[href$='{reverse('certificates:download', args=[certificate.pk])}']",
        ),
        ("jwt", "a[data-openbadge-jwt]"),
        ("json", "a[data-openbadge-json]"),
        ("edc", "a[data-europass]"),
    ):
        files[form] = _download(page, row, selector, journey, form)
    _check_linkedin(row, certificate)
    page.close()
    return files


def _check_files(files: dict, certificate) -> None:
    name, pdf = files["pdf"]
    assert name == f"{certificate.serial}.pdf" and pdf.startswith(b"%PDF-")
    name, jwt = files["jwt"]
    assert name.endswith(".jwt") and len(jwt.split(b".")) == 3
    check = openbadge_verify(token=jwt.decode())
    assert check.valid, check
    assert "OpenBadgeCredential" in _payload(jwt)["type"]
    badge = json.loads(files["json"][1])
    assert badge["credentialSubject"] == check.credential["credentialSubject"]
    name, edc = files["edc"]
    assert name.endswith("-europass.jws")
    document = _payload(edc)
    assert "EuropeanDigitalCredential" in document["type"]
    assert europass_verify(edc).genuine
    for content in (jwt, edc):
        assert credential_check(content=content).certificate == certificate


def _visitor_uploads(new_page, live_server, journey, files, certificate) -> None:
    page = new_page()
    start = live_server.url + reverse("certificates:verify_start")
    page.goto(start)
    expect(page.locator("#id_credential")).to_be_attached()
    journey.shot(page, "verify-form")
    axe_check(page, journey=journey, name="verify-form")
    for form, field, step in (
        ("pdf", "#id_pdf", "upload-pdf"),
        ("jwt", "#id_credential", "upload-openbadge"),
        ("edc", "#id_credential", "upload-europass"),
    ):
        page.goto(start)
        name, content = files[form]
        page.locator(field).set_input_files(
            {"name": name, "mimeType": "application/octet-stream", "buffer": content}
        )
        page.locator(field).locator("xpath=ancestor::form").locator(
            "[type=submit]"
        ).click()
        page.wait_for_load_state()
        success = page.locator(".alert-success").first
        expect(success).to_be_visible()
        expect(success).to_contain_text(certificate.serial)
        assert page.locator("section .alert-danger").count() == 0
        journey.shot(page, step)
        axe_check(page, journey=journey, name=step)
    page.close()


def test_trainee_downloads_three_forms_and_a_visitor_verifies_each(
    new_page, live_server, journey, demo_content
):
    certificate = (
        Certificate.objects.filter(
            holder__email=TRAINEE,
            kind=CertificateKind.COMPETENCY,
            status=CertificateStatus.VALID,
        )
        .order_by("-pk")
        .first()
    )
    assert certificate is not None
    files = _trainee_downloads(new_page, live_server, journey, certificate)
    _check_files(files, certificate)
    _visitor_uploads(new_page, live_server, journey, files, certificate)
    journey.assert_no_server_errors()
    assert re.match(r"^[0-9a-f]{64}$", certificate.pdf_sha256)
