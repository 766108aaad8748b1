import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import services
from tests.factories import (
    CompanyMemberFactory,
    StaffFactory,
    TraineeFactory,
    edition_completed,
)

pytestmark = pytest.mark.django_db


def _pdf(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def _verify(client, certificate):
    return client.get(
        reverse("certificates:verify", args=[certificate.verification_code])
    )


def test_valid_certificate_page_shows_what_was_certified(client, certificate):
    response = _verify(client, certificate)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Niccolò Dell&#x27;Àcqua" in html or "Niccolò Dell'Àcqua" in html
    assert certificate.serial in html and certificate.pdf_sha256 in html
    assert certificate.competencies[0]["esco_uri"] in html
    assert certificate.holder.email not in html
    assert "RSSMRA85T10A562S" not in html
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


def test_revoked_page_says_so_with_date_and_reason(client, certificate):
    services.certificate_revoke(
        certificate=certificate, actor=None, reason="Dati errati"
    )
    html = _verify(client, certificate).content.decode()
    assert "Dati errati" in html
    assert "alert-danger" in html


def test_expired_and_superseded(client, certificate):
    certificate.issued_on -= datetime.timedelta(days=10)
    certificate.valid_until = certificate.issued_on + datetime.timedelta(days=1)
    certificate.save()
    data = client.get(
        reverse("certificates_api:verify", args=[certificate.verification_code])
    ).json()
    assert data["status"] == "expired"
    new = services.certificate_reissue(
        certificate=certificate, actor=None, reason="Nuova data"
    )
    data = client.get(
        reverse("certificates_api:verify", args=[certificate.verification_code])
    ).json()
    assert data["status"] == "superseded" and data["replaced_by"] == new.serial


def test_unknown_code_is_a_404_page(client, site):
    response = client.get(reverse("certificates:verify", args=["nope" * 8]))
    assert response.status_code == 404
    assert "Unknown certificate" in response.content.decode()


def test_code_form_redirects_to_the_page(client, certificate):
    response = client.get(
        reverse("certificates:verify_start"), {"code": certificate.verification_code}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/verify/{certificate.verification_code}/")


def test_json_answer_has_cors_and_no_personal_data(client, certificate):
    response = client.get(
        reverse("certificates_api:verify", args=[certificate.verification_code])
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["status"] == "valid"
    assert data["holder"]["name"] == "Niccolò Dell'Àcqua"
    assert data["competencies"][0]["eqf_level"] == 4
    text = json.dumps(data)
    assert certificate.holder.email not in text and "RSSMRA85T10A562S" not in text
    services.certificate_revoke(certificate=certificate, actor=None, reason="Errore")
    data = client.get(
        reverse("certificates_api:verify", args=[certificate.verification_code])
    ).json()
    assert data["status"] == "revoked" and data["revoked_reason"] == "Errore"
    unknown = client.get(reverse("certificates_api:verify", args=["x" * 32]))
    assert unknown.status_code == 404 and unknown.json() == {"status": "unknown"}
    assert unknown["Access-Control-Allow-Origin"] == "*"


def test_lookups_are_rate_limited(client, site, settings):
    settings.MAKERS_VERIFY_RATE_PER_MINUTE = 3
    url = reverse("certificates_api:verify", args=["x" * 32])
    statuses = [client.get(url).status_code for _ in range(5)]
    assert statuses == [404, 404, 404, 429, 429]


def _upload(client, content: bytes, name="c.pdf"):
    return client.post(
        reverse("certificates:verify_start"),
        {"pdf": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_upload_of_a_genuine_certificate(client, certificate):
    response = _upload(client, _pdf(certificate))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"This file is certificate {certificate.serial}, as the school" in html
    assert "only outside what the signature covers" not in html
    assert "The signature is intact and was made with the school" in html


def test_upload_of_a_modified_certificate(client, certificate):
    content = bytearray(_pdf(certificate))
    content[len(content) // 3] ^= 0x01
    html = _upload(client, bytes(content)).content.decode()
    assert "not, byte for byte, a certificate the school issued" in html
    assert "the file was modified" in html or "could not be read" in html


def test_upload_refuses_what_is_not_a_pdf(client, site):
    response = _upload(client, b"PK\x03\x04 a zip renamed", name="bomb.pdf")
    assert response.status_code == 400
    assert "This file is not a PDF." in response.content.decode()


def test_upload_refuses_a_file_too_big(client, site, settings):
    settings.MAKERS_VERIFY_UPLOAD_MAX_BYTES = 1024
    response = _upload(client, b"%PDF-1.7\n" + b"0" * 2048)
    assert response.status_code == 400
    assert "too big" in response.content.decode()


def test_upload_of_an_unknown_or_broken_pdf(client, site):
    response = _upload(client, b"%PDF-1.7\n%garbage, truncated")
    html = response.content.decode()
    assert response.status_code == 200
    assert "not, byte for byte" in html


# -- downloads --------------------------------------------------------------------


@pytest.fixture
def sponsored(site):
    edition, _, enrolments = edition_completed(trainees=1)
    manager = CompanyMemberFactory(is_manager=True)
    enrolment = enrolments[0]
    enrolment.sponsor_company = manager.company
    enrolment.save()
    certificate = services.certificate_issue(enrolment=enrolment, actor=None)
    return certificate, manager


def _download(client, certificate):
    return client.get(reverse("certificates:download", args=[certificate.pk]))


def test_download_permissions(client, sponsored):
    certificate, manager = sponsored
    response = _download(client, certificate)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(certificate.holder)
    response = _download(client, certificate)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(TraineeFactory())
    assert _download(client, certificate).status_code == 404
    client.force_login(manager.user)
    assert _download(client, certificate).status_code == 200
    plain_member = CompanyMemberFactory(company=manager.company, is_manager=False)
    client.force_login(plain_member.user)
    assert _download(client, certificate).status_code == 404
    client.force_login(StaffFactory())
    assert _download(client, certificate).status_code == 200


def test_pdf_is_not_under_the_media_url(certificate, settings):
    with pytest.raises(ValueError):
        certificate.pdf.url  # noqa: B018
    assert not str(certificate.pdf.path).startswith(str(settings.MEDIA_ROOT))


def test_my_certificates_page(client, sponsored, django_assert_max_num_queries):
    certificate, manager = sponsored
    client.force_login(certificate.holder)
    # +1: the menu checks admin access; +1: completed enrolments still
    # awaiting a certificate (certificates_to_come).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("portal:certificates"))
    html = response.content.decode()
    assert certificate.serial in html
    assert reverse("certificates:download", args=[certificate.pk]) in html
    client.force_login(manager.user)
    html = client.get(reverse("portal:certificates")).content.decode()
    assert certificate.serial in html
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("portal:certificates") in dashboard


def test_my_certificates_query_count_does_not_grow(
    client, site, django_assert_num_queries
):
    trainee = TraineeFactory()
    for _ in range(3):
        _, _, (enrolment,) = edition_completed(trainees=1)
        enrolment.trainee = trainee
        enrolment.save()
        services.certificate_issue(enrolment=enrolment, actor=None)
    client.force_login(trainee)
    client.get(reverse("portal:certificates"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three:
        client.get(reverse("portal:certificates"))
    _, _, (enrolment,) = edition_completed(trainees=1)
    enrolment.trainee = trainee
    enrolment.save()
    services.certificate_issue(enrolment=enrolment, actor=None)
    client.get(reverse("portal:certificates"))  # warm the same caches again
    with CaptureQueriesContext(connection) as four:
        client.get(reverse("portal:certificates"))
    assert len(four) == len(three)


def test_my_certificates_checks_a_bounded_number_of_uncertified_courses(client, site):
    """Completed courses that qualify but wait for the school's issue: the page
    says so for each checked one, and checks at most TO_COME_CHECKED of them, so
    its queries do not grow with a long history."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certificates.selectors import TO_COME_CHECKED

    trainee = TraineeFactory()

    def one_more() -> None:
        _, _, (enrolment,) = edition_completed(trainees=1)
        enrolment.trainee = trainee
        enrolment.save()

    for _ in range(TO_COME_CHECKED):
        one_more()
    client.force_login(trainee)
    client.get(reverse("portal:certificates"))
    with CaptureQueriesContext(connection) as checked:
        page = client.get(reverse("portal:certificates")).content.decode()
    assert page.count('class="alert alert-info"') == TO_COME_CHECKED
    one_more()
    client.get(reverse("portal:certificates"))
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("portal:certificates")).content.decode()
    assert len(more) == len(checked)
    assert page.count('class="alert alert-info"') == TO_COME_CHECKED


@pytest.mark.parametrize("language", ["it", "en"])
def test_verification_pages_escape_once(client, certificate, language):
    """Issue 24: "Makers&#x27; School" shown as such (escaped twice)."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    with translation.override(language):
        verify_url = reverse(
            "certificates:verify", args=[certificate.verification_code]
        )
        start_url = reverse("certificates:verify_start")
    page = client.get(verify_url)
    upload = client.post(
        start_url,
        {
            "pdf": SimpleUploadedFile(
                "c.pdf", _pdf(certificate), content_type="application/pdf"
            )
        },
    )
    for response in (page, upload):
        assert response.status_code == 200
        html = response.content.decode()
        assert "&amp;#" not in html and "&amp;amp;" not in html
        assert "Makers&#x27; School" in html or "Makers' School" in html


def test_a_superseded_certificate_links_to_its_successor(client, certificate):
    """Issue 16: the successor was named without a link."""
    new = services.certificate_reissue(
        certificate=certificate, actor=None, reason="Nuova data"
    )
    html = _verify(client, certificate).content.decode()
    successor = f"/verify/{new.verification_code}/"
    assert f'{successor}">{new.serial}</a>' in html
    data = client.get(
        reverse("certificates_api:verify", args=[certificate.verification_code])
    ).json()
    assert data["replaced_by_url"].endswith(successor)


def test_an_expired_certificate_gives_its_expiry_as_a_date(client, certificate):
    certificate.issued_on = datetime.date(2026, 1, 10)
    certificate.valid_until = datetime.date(2026, 2, 3)
    certificate.save()
    html = _verify(client, certificate).content.decode()
    assert "It was valid until 3 February 2026." in html
    assert "2026-02-03" not in html


def test_my_certificates_names_the_course_in_the_page_language(client, certificate):
    certificate.course_title, certificate.course_title_en = "Saldatura", "Welding"
    certificate.save()
    client.force_login(certificate.holder)
    html = client.get(reverse("portal:certificates")).content.decode()
    assert "Welding" in html and "Saldatura" not in html


def test_a_mistyped_code_says_why(client, site):
    response = client.get(reverse("certificates:verify_start"), {"code": "ab/c d"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This is not a verification code." in html
    assert 'aria-invalid="true"' in html
