import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from tests.factories import StaffFactory, TraineeFactory, edition_completed

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    """Staff whose Wagtail admin speaks English (the assertions read English)."""
    from wagtail.users.models import UserProfile

    staff = StaffFactory()
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(staff)
    return client


def test_listing_and_inspect(staff_client, certificate):
    response = staff_client.get(reverse("certificates_admin:index"))
    assert response.status_code == 200
    assert certificate.serial in response.content.decode()
    response = staff_client.get(
        reverse("certificates_admin:index"), {"q": certificate.serial[-6:]}
    )
    assert certificate.serial in response.content.decode()
    response = staff_client.get(
        reverse("certificates_admin:inspect", args=[certificate.pk])
    )
    assert response.status_code == 200
    assert "Certificate issued" in response.content.decode()


def test_listing_query_count_does_not_grow(staff_client, site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certificates import services

    _, _, enrolments = edition_completed(trainees=2)
    for enrolment in enrolments:
        services.certificate_issue(enrolment=enrolment, actor=None)
    url = reverse("certificates_admin:index")
    staff_client.get(url)
    with CaptureQueriesContext(connection) as two:
        staff_client.get(url)
    _, _, more = edition_completed(trainees=3)
    for enrolment in more:
        services.certificate_issue(enrolment=enrolment, actor=None)
    with CaptureQueriesContext(connection) as five:
        staff_client.get(url)
    assert len(five) == len(two)


def test_revoke_with_reason_and_confirmation(staff_client, certificate):
    url = reverse("certificates_admin:revoke", args=[certificate.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"reason": ""})
    assert response.status_code == 200  # the form again, nothing changed
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID
    response = staff_client.post(url, {"reason": "Errore nei dati"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    # Revoking again is refused with a message, never a 500.
    response = staff_client.post(url, {"reason": "Ancora"}, follow=True)
    assert "already revoked" in response.content.decode()


def test_edition_page_issue_one_and_all_and_zip(
    staff_client, site, django_capture_on_commit_callbacks
):
    edition, _, enrolments = edition_completed(trainees=3)
    enrolments[2].assessments.update(achieved=False)
    url = reverse("certificates_admin:edition", args=[edition.pk])
    html = staff_client.get(url).content.decode()
    assert "Competency not achieved" in html
    staff_client.post(url, {"enrolment": enrolments[0].pk})
    assert Certificate.objects.filter(enrolment=enrolments[0]).exists()
    response = staff_client.post(url, {"enrolment": enrolments[2].pk}, follow=True)
    assert "not eligible" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"action": "issue_all"})
    assert Certificate.objects.filter(enrolment__edition=edition).count() == 2
    html = staff_client.get(url).content.decode()
    assert "Last run finished" in html or "Issuing" in html
    response = staff_client.get(reverse("certificates_admin:zip", args=[edition.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    assert archive.read(names[0]).startswith(b"%PDF-")


def test_trainees_do_not_reach_the_admin_screens(client, certificate):
    client.force_login(TraineeFactory())
    response = client.get(reverse("certificates_admin:index"))
    assert response.status_code in (302, 403)


def test_listing_shows_the_instant_of_issue(staff_client, site):
    """Issue 12: a certificate issued ten minutes ago is not "issued 22 hours
    ago" (its date read as midnight)."""
    import datetime

    import time_machine

    from certificates import services

    # The test's clock (10:00, or 23:30 under the hard clock): hours after
    # midnight, so a date read as midnight would say "hours ago". Not a fixed
    # day: the staff client's session was opened on the test's clock.
    issued = timezone.now().replace(microsecond=0)
    with time_machine.travel(issued, tick=False):
        _edition, _sessions, enrolments = edition_completed(trainees=1)
        certificate = services.certificate_issue(enrolment=enrolments[0], actor=None)
    with time_machine.travel(issued + datetime.timedelta(minutes=10), tick=False):
        html = staff_client.get(reverse("certificates_admin:index")).content.decode()
    row = html[html.index(certificate.serial) :]
    row = row[: row.index("</tr>")]
    assert "10\xa0minutes ago" in row or "10 minutes ago" in row
    assert "hour" not in row


def test_edition_page_names_the_edition_and_each_button_its_trainee(staff_client, site):
    """The header shows the edition (not only "Home"); each Issue button names
    its trainee for a screen reader, in text the admin hides from sight."""
    from bs4 import BeautifulSoup

    edition, _, enrolments = edition_completed(trainees=2)
    url = reverse("certificates_admin:edition", args=[edition.pk])
    page = BeautifulSoup(staff_client.get(url).content, "html.parser")
    breadcrumbs = page.select_one("header nav[aria-label]").get_text(" ", strip=True)
    assert f"Certificates of {edition.code}" in breadcrumbs
    buttons = [
        button
        for button in page.select("tbody button")
        if button.get_text(" ", strip=True).startswith("Issue")
    ]
    assert len(buttons) == 2 * len(enrolments)
    for button in buttons:
        hidden = button.select_one("span.w-sr-only")
        assert hidden is not None
        assert any(str(e.trainee) in hidden.get_text() for e in enrolments)
    assert not page.select(".visually-hidden")
