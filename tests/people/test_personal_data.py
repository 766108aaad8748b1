"""The personal-data export, assembled from the sections each app registers
(people.personal_data), gives the same keys, in the same order, and the same
content as the single function it replaced, for a person with data in every
app; the erasure runs every app's step."""

import json
import secrets

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from attendance.models import Assessment, AttendanceRecord
from certificates.models import Certificate
from core.emails import email_bounce_mark
from core.models import EmailBounce, PreparedFile
from core.prepared_files import download_request
from directory import services as directory_services
from directory.models import CompanyBlock, ContactRequest, ShortlistEntry
from enrolment.models import Enrolment, Invitation
from evaluations.models import EvaluationRequest, Questionnaire
from notices.models import NoticeOptOut, SentNotice
from people.models import CalendarFeed, CompanyMember, GraduateConsent
from people.personal_data import (
    EXPORT_KEYS,
    EXPORT_SCHEMA_VERSION,
    PERSONAL_DATA_KIND,
    account_erase,
    personal_data_export,
)
from people.services import graduate_profile_publish
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    GraduateProfileFactory,
    certificate_row,
    edition_completed,
)

pytestmark = pytest.mark.django_db

# The top-level keys as published in schema version 1: they never move.
SCHEMA_1_KEYS = (
    "schema",
    "account",
    "email_addresses",
    "company_memberships",
    "graduate_profile",
    "graduate_consents",
    "profile_views",
    "contact_requests",
    "blocked_companies",
    "enrolments",
    "attendance",
    "assessments",
    "funding",
    "certificates",
    "invitations",
    "notices",
    "evaluation_requests",
    "audit_entries",
)


@pytest.fixture
def person(site):
    """A graduate with a row in every app: account, addresses, feed, company
    membership, profile and consent, profile views, shortlist, contact request,
    block, enrolment, attendance, assessment, certificate, invitation, notice
    opt-out, notice sent, bounce mark, evaluation request, audit."""
    edition, _sessions, enrolments = edition_completed(trainees=1, competencies=1)
    enrolment = enrolments[0]
    profile = GraduateProfileFactory(
        user=enrolment.trainee, is_published=False, published_at=None
    )
    user = profile.user
    graduate_profile_publish(profile=profile, agreed=True, language="it")
    CalendarFeed.objects.create(user=user)
    CompanyMemberFactory(user=user, company=CompanyFactory(name="Officina Mia"))
    certificate_row(
        holder=user,
        enrolment=enrolment,
        competencies=list(edition.course.competencies.all()),
    )
    member = CompanyMemberFactory(company=CompanyFactory(name="Robotica Srl"))
    directory_services.contact_request_create(
        company=member.company, profile=profile, by=member.user, message="Ciao"
    )
    directory_services.profile_view_log(profile=profile, company=member.company)
    ShortlistEntry.objects.create(
        company=member.company, profile=profile, added_by=member.user
    )
    directory_services.company_block(
        user=user, company=CompanyFactory(name="Bloccata Spa")
    )
    Invitation.objects.create(
        email=user.email,
        company=member.company,
        edition=edition,
        invited_by=member.user,
        token=secrets.token_urlsafe(24),
    )
    NoticeOptOut.objects.create(user=user, kind="offer_expiry")
    SentNotice.objects.create(
        key="attendance_risk:x",
        kind="attendance_risk",
        recipient=user,
        about=f"attendance {edition.code} minimum",
    )
    email_bounce_mark(email=user.email, reason="550")
    EvaluationRequest.objects.create(
        enrolment=enrolment,
        questionnaire=Questionnaire.objects.create(title="Valutazione"),
        reminders_sent=1,
    )
    return profile


def iso(value):
    return value.isoformat() if value is not None else None


def expected_export(profile) -> dict:
    """What the export held before it was split into sections, read back from
    the rows themselves."""
    user = profile.user
    enrolment = Enrolment.objects.get(trainee=user)
    edition = enrolment.edition
    return {
        "schema": {"name": "makers-school-personal-data", "version": 1},
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "codice_fiscale": user.codice_fiscale,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "has_calendar_feed": True,
            "has_two_factor": False,
        },
        "email_addresses": [{"email": user.email, "verified": True, "primary": True}],
        "company_memberships": [
            {
                "company__name": "Officina Mia",
                "company__partita_iva": member.company.partita_iva,
                "is_manager": member.is_manager,
                "created_at": iso(member.created_at),
            }
            for member in CompanyMember.objects.filter(user=user)
        ],
        "graduate_profile": {
            "public_id": profile.public_id,
            "is_published": True,
            "published_at": iso(profile.published_at),
            "headline": profile.headline,
            "bio": profile.bio,
            "province": "TO",
            "availability": "open_to_work",
            "languages": profile.languages,
            "skills": profile.skills,
            "phone": profile.phone,
            "has_photo": False,
            "has_cv": False,
            "shown_fields": [
                "show_headline",
                "show_province",
                "show_availability",
                "show_skills",
                "show_courses",
                "show_competencies",
            ],
            "shortlisted_by": ["Robotica Srl"],
        },
        "graduate_consents": [
            {
                "action": consent.action,
                "text": consent.text,
                "language": "it",
                "at": iso(consent.at),
            }
            for consent in GraduateConsent.objects.filter(user=user)
        ],
        "profile_views": [
            {"company__name": "Robotica Srl", "day": iso(view.day), "count": 1}
            for view in profile.views.all()
        ],
        "contact_requests": [
            {
                "company__name": "Robotica Srl",
                "message": "Ciao",
                "status": request.status,
                "created_at": iso(request.created_at),
                "answered_at": iso(request.answered_at),
            }
            for request in ContactRequest.objects.filter(graduate=user)
        ],
        "blocked_companies": [
            {"company__name": "Bloccata Spa", "created_at": iso(block.created_at)}
            for block in CompanyBlock.objects.filter(user=user)
        ],
        "enrolments": [
            {
                "edition__code": edition.code,
                "edition__course__title": edition.course.title,
                "status": "confirmed",
                "created_at": iso(enrolment.created_at),
            }
        ],
        "attendance": [
            {
                "session__edition__code": edition.code,
                "session__start": iso(record.session.start),
                "status": record.status,
                "minutes_present": record.minutes_present,
                "entered_at": None,
                "exited_at": None,
            }
            for record in AttendanceRecord.objects.filter(enrolment=enrolment)
        ],
        "assessments": [
            {
                "enrolment__edition__code": edition.code,
                "competency__code": assessment.competency.code,
                "achieved": assessment.achieved,
                "assessed_at": iso(assessment.assessed_at),
            }
            for assessment in Assessment.objects.filter(enrolment=enrolment)
        ],
        "funding": [],
        "certificates": [
            {
                "serial": certificate.serial,
                "status": "valid",
                "course_code": certificate.course_code,
                "course_title": certificate.course_title,
                "issued_on": iso(certificate.issued_on),
                "holder_given_name": user.first_name,
                "holder_family_name": user.last_name,
                "verification_code": certificate.verification_code,
            }
            for certificate in Certificate.objects.filter(holder=user)
        ],
        "invitations": [
            {
                "company__name": "Robotica Srl",
                "edition__code": edition.code,
                "created_at": iso(invitation.created_at),
            }
            for invitation in Invitation.objects.all()
        ],
        "notices": {
            "preferences": [
                {"kind": "session_reminder", "receive": True},
                {"kind": "offer_expiry", "receive": False},
                {"kind": "certificate_expiry", "receive": True},
            ],
            "sent": [
                {
                    "kind": "attendance_risk",
                    "sent_at": iso(notice.sent_at),
                    "about": f"attendance {edition.code} minimum",
                }
                for notice in SentNotice.objects.filter(recipient=user)
            ],
            "bounce": {
                "email": user.email.lower(),
                "reason": "550",
                "marked_at": iso(EmailBounce.objects.get().marked_at),
            },
        },
        "evaluation_requests": [
            {
                "enrolment__edition__code": edition.code,
                "enrolment__edition__course__title": edition.course.title,
                "questionnaire__title": "Valutazione",
                "sent_at": None,
                "reminders_sent": 1,
                "answered_on": None,
            }
        ],
    }


def test_export_keeps_the_published_keys_in_their_order():
    assert EXPORT_SCHEMA_VERSION == 1
    assert EXPORT_KEYS == SCHEMA_1_KEYS


def test_export_is_the_same_as_before_for_data_in_every_app(person):
    data = personal_data_export(user=person.user)
    assert tuple(data) == SCHEMA_1_KEYS
    audit = data.pop("audit_entries")
    expected = expected_export(person)
    for key in expected:
        assert data[key] == expected[key], key
    assert data == expected
    assert {entry["action"] for entry in audit} >= {"makers.graduate_profile.publish"}
    json.dumps(data, ensure_ascii=False)  # JSON-ready throughout


def test_erasure_runs_every_apps_step(person):
    user = person.user
    account_erase(user=user)
    assert not ContactRequest.objects.filter(graduate=user).exists()
    assert not CompanyBlock.objects.filter(user=user).exists()
    assert not ShortlistEntry.objects.exists()
    assert not Invitation.objects.exists()
    assert Certificate.objects.get().holder is None
    assert not CompanyMember.objects.filter(user=user).exists()
    assert not NoticeOptOut.objects.exists()
    assert not SentNotice.objects.exists()
    assert not EmailBounce.objects.exists()
    assert Enrolment.objects.filter(trainee=user).exists()
    assert ModelLogEntry.objects.filter(action="makers.account.erase").exists()


def test_the_prepared_file_is_the_export_and_erasure_deletes_it(
    person, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MAKERS_PRIVATE_ROOT = tmp_path
    user = person.user
    with django_capture_on_commit_callbacks(execute=True):
        prepared = download_request(owner=user, kind=PERSONAL_DATA_KIND, params={})
    prepared.refresh_from_db()
    stored = tmp_path / prepared.file.name
    data = json.loads(stored.read_bytes())
    assert tuple(data) == SCHEMA_1_KEYS
    assert data["account"]["email"] == user.email
    day = timezone.localdate().isoformat()  # the suite's day, not June's
    assert prepared.filename == f"makers-school-my-data-{day}.json"
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=user)
    assert not stored.exists()
    assert not PreparedFile.objects.exists()
