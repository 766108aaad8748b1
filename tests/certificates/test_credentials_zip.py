"""Staff download an edition's credentials in every form as one ZIP: per
certificate its PDF, its Open Badge as VC-JWT and JSON-LD, its Europass
credential; the same permission as the ZIP of the PDFs."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from certificates import services
from certificates.credentials.upload import credential_check
from tests.factories import StaffFactory, TraineeFactory, edition_completed

pytestmark = pytest.mark.django_db


def test_edition_zip_holds_every_form_of_each_certificate(client, site):
    edition, _, enrolments = edition_completed(trainees=2)
    issued = [
        services.certificate_issue(enrolment=enrolment, actor=None)
        for enrolment in enrolments
    ]
    client.force_login(StaffFactory())
    page = client.get(reverse("certificates_admin:edition", args=[edition.pk]))
    url = reverse("certificates_admin:credentials_zip", args=[edition.pk])
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"credentials-{edition.code}.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    names = set(archive.namelist())
    for certificate in issued:
        serial = certificate.serial
        assert {
            f"{serial}.pdf",
            f"{serial}-openbadge.jwt",
            f"{serial}-openbadge.json",
            f"{serial}-europass.jws",
        } <= names
        assert archive.read(f"{serial}.pdf").startswith(b"%PDF-")
        badge = json.loads(archive.read(f"{serial}-openbadge.json"))
        assert "OpenBadgeCredential" in badge["type"]
        for form in ("openbadge.jwt", "europass.jws"):
            check = credential_check(content=archive.read(f"{serial}-{form}"))
            assert check.valid and check.certificate == certificate
    assert len(names) == 4 * len(issued)


def test_credentials_zip_is_refused_to_trainees(client, site):
    edition, _, _ = edition_completed(trainees=1)
    client.force_login(TraineeFactory())
    url = reverse("certificates_admin:credentials_zip", args=[edition.pk])
    assert client.get(url).status_code in (302, 403)
