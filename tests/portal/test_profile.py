"""The graduate's own pages, the data export and the erasure (portal)."""

import datetime
import json
import re

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from attendance.models import AttendanceRecord
from certificates.models import Certificate
from core.audit import audit_entries
from core.models import PreparedFile
from directory import services as directory_services
from directory.models import CompanyBlock, ContactRequest, ProfileView
from enrolment.models import Enrolment
from people.models import CompanyMember, GraduateConsent, GraduateProfile, User
from people.personal_data import EXPORT_KEYS
from people.security import PERSONAL_DATA_EXPORT_ASKED, PERSONAL_DATA_EXPORTED
from people.services import company_register, graduate_profile_publish
from tests.factories import (
    PASSWORD,
    CompanyFactory,
    CompanyMemberFactory,
    GraduateProfileFactory,
    StaffFactory,
    TraineeFactory,
    certificate_row,
    edition_completed,
)

pytestmark = pytest.mark.django_db

SECURITY_EVENTS = "/admin/reports/security-events/"


@pytest.fixture
def graduate(site):
    edition, _sessions, enrolments = edition_completed(trainees=1, competencies=1)
    enrolment = enrolments[0]
    profile = GraduateProfileFactory(user=enrolment.trainee)
    certificate_row(
        holder=profile.user,
        enrolment=enrolment,
        competencies=list(edition.course.competencies.all()),
    )
    member = CompanyMemberFactory(company=CompanyFactory())
    directory_services.contact_request_create(
        company=member.company, profile=profile, by=member.user, message="Ciao"
    )
    directory_services.profile_view_log(profile=profile, company=member.company)
    directory_services.company_block(user=profile.user, company=CompanyFactory())
    return profile


OWN_PAGES = [
    "portal:profile",
    "portal:contact_requests",
    "portal:my_data",
]


@pytest.mark.parametrize("name", OWN_PAGES)
def test_own_pages_anonymous_redirected_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", OWN_PAGES)
def test_own_pages_show_only_the_owners_data(client, graduate, name):
    client.force_login(graduate.user)
    assert client.get(reverse(name)).status_code == 200
    other = TraineeFactory()
    client.force_login(other)
    body = client.get(reverse(name)).content.decode()
    assert graduate.headline not in body and graduate.user.email not in body


def test_own_files_are_the_owners_only(client, graduate, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MAKERS_PRIVATE_ROOT = tmp_path
    graduate.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    url = reverse("portal:profile_file", args=["cv"])
    assert client.get(url).status_code == 302
    client.force_login(TraineeFactory())
    assert client.get(url).status_code == 404
    client.force_login(graduate.user)
    assert client.get(url).status_code == 200


def test_publish_needs_the_box_ticked_and_records_consent(client, site):
    user = TraineeFactory()
    client.force_login(user)
    page = client.get(reverse("portal:profile")).content.decode()
    assert "Chiedo alla Makers" in page
    client.post(reverse("portal:profile"), {"action": "publish"})
    assert not GraduateProfile.objects.get(user=user).is_published
    assert not GraduateConsent.objects.exists()
    client.post(reverse("portal:profile"), {"action": "publish", "agree": "on"})
    assert GraduateProfile.objects.get(user=user).is_published
    client.post(reverse("portal:profile"), {"action": "unpublish"})
    assert not GraduateProfile.objects.get(user=user).is_published
    assert GraduateConsent.objects.filter(user=user).count() == 2


def test_oversized_or_fake_cv_refused_with_a_message(client, site, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAKERS_PRIVATE_ROOT = tmp_path
    user = TraineeFactory()
    client.force_login(user)
    fake = SimpleUploadedFile("cv.pdf", b"GIF89a...", "application/pdf")
    response = client.post(
        reverse("portal:profile"),
        {
            "action": "save",
            "headline": "Nuovo",
            "availability": "open_to_work",
            "cv": fake,
        },
    )
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    profile = GraduateProfile.objects.get(user=user)
    assert not profile.cv and profile.headline == ""


def test_export_covers_every_kind_of_data(
    client, graduate, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MAKERS_PRIVATE_ROOT = tmp_path
    client.force_login(graduate.user)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("portal:my_data"))
    page = client.get(asked["Location"])
    assert page.status_code == 200
    (link,) = re.findall(r'href="([^"]+/file/)"', page.content.decode())
    response = client.get(link)
    assert response["Content-Type"].startswith("application/json")
    assert "makers-school-my-data-" in response["Content-Disposition"]
    data = json.loads(b"".join(response.streaming_content))
    assert tuple(data) == EXPORT_KEYS
    assert data["account"]["email"] == graduate.user.email
    assert data["graduate_profile"]["headline"] == graduate.headline
    assert data["enrolments"] and data["attendance"] and data["assessments"]
    assert data["certificates"] and data["contact_requests"]
    assert data["profile_views"] and data["blocked_companies"]
    assert data["email_addresses"][0]["email"] == graduate.user.email


def test_asking_for_and_downloading_my_data_is_audited_on_the_account(
    client,
    graduate,
    settings,
    tmp_path,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """Who exported whose data, and when: on the person's account, as the
    security events staff read; a second click is no second request."""
    settings.MAKERS_PRIVATE_ROOT = tmp_path
    user = graduate.user
    client.force_login(user)
    asked_at = timezone.now()
    with (
        time_machine.travel(asked_at, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        asked = client.post(reverse("portal:my_data"))
    prepared = PreparedFile.objects.get(owner=user)
    (ask,) = audit_entries(instance=user, prefix=PERSONAL_DATA_EXPORT_ASKED)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [user.email]
    page = client.get(asked["Location"]).content.decode()
    (link,) = re.findall(r'href="([^"]+/file/)"', page)
    later = asked_at + datetime.timedelta(minutes=3)
    with time_machine.travel(later, tick=False):
        for _twice in range(2):
            assert client.get(link).status_code == 200
    downloads = audit_entries(instance=user, prefix=PERSONAL_DATA_EXPORTED)
    assert [entry.timestamp for entry in (ask, *downloads)] == [asked_at] + [later] * 2
    for entry in (ask, *downloads):
        assert entry.user == user
        assert entry.data["export"] == "personal_data"
        assert entry.data["file"] == str(prepared.public_id)
        assert "ip" in entry.data and entry.data["path"]
    assert ask.data["path"] == reverse("portal:my_data")
    assert downloads[0].data["path"] == link
    # Staff read them in Reports > Security events, as the roster's exports.
    client.force_login(StaffFactory())
    for action in (PERSONAL_DATA_EXPORT_ASKED, PERSONAL_DATA_EXPORTED):
        report = client.get(SECURITY_EVENTS, {"action": action})
        assert report.status_code == 200 and str(user) in report.content.decode()


def test_erasure_leaves_nothing_personal(client, graduate):
    user = graduate.user
    email, last_name = user.email, user.last_name
    graduate_profile_publish(profile=graduate, agreed=True, language="it")
    company_register(user=user, name="Mia ditta", partita_iva="00743110157")
    client.login(email=email, password=PASSWORD)
    enrolments = Enrolment.objects.filter(trainee=user).count()
    attendance = AttendanceRecord.objects.filter(enrolment__trainee=user).count()
    ask = client.post(reverse("portal:account_delete"), {"confirm": email})
    assert User.objects.get(pk=user.pk).is_active  # the password first
    response = client.post(ask["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    erased = User.objects.get(pk=user.pk)
    assert erased.email != email and erased.email.endswith("@erased.invalid")
    assert erased.first_name == erased.last_name == erased.codice_fiscale == ""
    assert not erased.is_active and not erased.has_usable_password()
    assert not User.objects.filter(email=email).exists()
    assert not GraduateProfile.objects.filter(user=user).exists()
    assert not GraduateConsent.objects.filter(user=user).exists()
    assert not ContactRequest.objects.filter(graduate=user).exists()
    assert not ProfileView.objects.exists()
    assert not CompanyBlock.objects.filter(user=user).exists()
    assert not CompanyMember.objects.filter(user=user).exists()
    assert not Session.objects.exists()
    # Kept: the certificate (verifiable, name on its snapshot), anonymous figures.
    certificate = Certificate.objects.get()
    assert certificate.holder is None and certificate.holder_family_name == last_name
    assert Enrolment.objects.filter(trainee=user).count() == enrolments
    assert (
        AttendanceRecord.objects.filter(enrolment__trainee=user).count() == attendance
    )
    from wagtail.models import ModelLogEntry

    for entry in ModelLogEntry.objects.all():
        assert email not in entry.label and email not in json.dumps(entry.data)


def test_erasure_needs_the_address_typed(client, graduate):
    client.force_login(graduate.user)
    client.post(reverse("portal:account_delete"), {"confirm": "wrong@example.com"})
    assert User.objects.get(pk=graduate.user.pk).is_active


def test_company_register_page_and_unverified_member_sees_nothing(client, site):
    user = TraineeFactory()
    client.force_login(user)
    response = client.post(
        reverse("portal:company_register"),
        {"name": "Ditta", "partita_iva": "00743110158", "ateco": "25.62"},
    )
    assert response.status_code == 200 and not CompanyMember.objects.exists()
    client.post(
        reverse("portal:company_register"),
        {"name": "Ditta", "partita_iva": "00743110157", "ateco": "25.62.00"},
    )
    assert CompanyMember.objects.get(user=user).is_manager
    GraduateProfileFactory(headline="Visibile solo ai verificati")
    response = client.get(reverse("directory:search"))
    assert response.status_code == 403
    assert "Visibile" not in response.content.decode()


def test_staff_verify_company_in_admin(client, site):
    company = CompanyFactory(verified_at=None)
    url = reverse("people_company_verify", args=[company.pk])
    client.force_login(TraineeFactory())
    assert client.get(url).status_code in (302, 403)
    staff = StaffFactory()
    client.force_login(staff)
    listing = client.get(reverse("wagtailsnippets_people_company:list"))
    assert url in listing.content.decode()
    assert client.get(url).status_code == 200
    client.post(url)
    company.refresh_from_db()
    assert company.verified_by == staff
