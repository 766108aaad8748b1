"""Every person's data: the export (GDPR arts. 15 and 20) and the erasure (art.
17). It lives in portal, above every domain app, so it can read them all.

The export's top-level keys are a stable schema (EXPORT_SCHEMA_VERSION): one per
kind of data, present even when empty. Erasure anonymises the account rather
than deleting it, so enrolment and attendance figures stay as anonymous school
statistics; issued certificates stay verifiable with the name snapshotted on them
(the Certificate rows are kept, only unlinked from the account).
"""

import datetime
import secrets
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from wagtail.models import ModelLogEntry

from attendance.models import Assessment, AttendanceRecord
from certificates.models import Certificate
from core.audit import audit_log
from directory.models import CompanyBlock, ContactRequest, ProfileView, ShortlistEntry
from enrolment.models import Enrolment, Invitation
from people.models import (
    CalendarFeed,
    CompanyInvite,
    CompanyMember,
    GraduateConsent,
    GraduateProfile,
    User,
)
from people.services import graduate_files_erase, user_sessions_end

EXPORT_SCHEMA_VERSION = 1
EXPORT_KEYS = (
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
    "certificates",
    "invitations",
    "audit_entries",
)


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rows(queryset, fields) -> list[dict]:
    return [
        {key: _plain(value) for key, value in row.items()}
        for row in queryset.values(*fields)
    ]


def personal_data_export(*, user: User) -> dict:
    """Everything the school holds about the person, as JSON-ready data."""
    profile = GraduateProfile.objects.filter(user=user).first()
    user_ct = ContentType.objects.get_for_model(User)
    audit = ModelLogEntry.objects.filter(
        Q(user=user) | Q(content_type=user_ct, object_id=str(user.pk))
    )
    if profile is not None:
        audit = audit | ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(GraduateProfile),
            object_id=str(profile.pk),
        )
    enrolments = Enrolment.objects.filter(trainee=user)
    data = {
        "schema": {
            "name": "makers-school-personal-data",
            "version": EXPORT_SCHEMA_VERSION,
        },
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "codice_fiscale": user.codice_fiscale,
            "date_joined": _plain(user.date_joined),
            "last_login": _plain(user.last_login),
            "has_calendar_feed": CalendarFeed.objects.filter(user=user).exists(),
            "has_two_factor": Authenticator.objects.filter(user=user).exists(),
        },
        "email_addresses": _rows(
            EmailAddress.objects.filter(user=user), ["email", "verified", "primary"]
        ),
        "company_memberships": _rows(
            CompanyMember.objects.filter(user=user),
            ["company__name", "company__partita_iva", "is_manager", "created_at"],
        ),
        "graduate_profile": None,
        "graduate_consents": _rows(
            GraduateConsent.objects.filter(user=user),
            ["action", "text", "language", "at"],
        ),
        "profile_views": _rows(
            ProfileView.objects.filter(profile__user=user),
            ["company__name", "day", "count"],
        ),
        "contact_requests": _rows(
            ContactRequest.objects.filter(graduate=user),
            ["company__name", "message", "status", "created_at", "answered_at"],
        ),
        "blocked_companies": _rows(
            CompanyBlock.objects.filter(user=user), ["company__name", "created_at"]
        ),
        "enrolments": _rows(
            enrolments,
            ["edition__code", "edition__course__title", "status", "created_at"],
        ),
        "attendance": _rows(
            AttendanceRecord.objects.filter(enrolment__trainee=user),
            ["session__edition__code", "session__start", "status", "minutes_present"],
        ),
        "assessments": _rows(
            Assessment.objects.filter(enrolment__trainee=user),
            ["enrolment__edition__code", "competency__code", "achieved", "assessed_at"],
        ),
        "certificates": _rows(
            Certificate.objects.filter(holder=user),
            [
                "serial",
                "status",
                "course_code",
                "course_title",
                "issued_on",
                "holder_given_name",
                "holder_family_name",
                "verification_code",
            ],
        ),
        "invitations": _rows(
            Invitation.objects.filter(email__iexact=user.email),
            ["company__name", "edition__code", "created_at"],
        ),
        "audit_entries": _rows(
            audit.distinct().order_by("timestamp"),
            ["action", "timestamp", "content_type__model", "object_id", "data"],
        ),
    }
    if profile is not None:
        data["graduate_profile"] = {
            "public_id": profile.public_id,
            "is_published": profile.is_published,
            "published_at": _plain(profile.published_at),
            "headline": profile.headline,
            "bio": profile.bio,
            "province": profile.province,
            "availability": profile.availability,
            "languages": profile.languages,
            "skills": profile.skills,
            "phone": profile.phone,
            "has_photo": bool(profile.photo),
            "has_cv": bool(profile.cv),
            "shown_fields": [
                name
                for name in (f.name for f in GraduateProfile._meta.fields)
                if name.startswith("show_") and getattr(profile, name)
            ],
            "shortlisted_by": list(
                ShortlistEntry.objects.filter(profile=profile).values_list(
                    "company__name", flat=True
                )
            ),
        }
    return data


@transaction.atomic
def account_erase(*, user: User) -> None:
    """Erase the person: profile, files, consents, requests, views, blocks,
    memberships, invitations, addresses and second factors are deleted; the
    account row is kept anonymised (inactive, no usable password, a random
    address) so enrolment and attendance figures stay as anonymous statistics;
    certificates stay verifiable with their snapshotted name, unlinked from it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    old_email = user.email
    full_name = user.get_full_name()
    profile = GraduateProfile.objects.filter(user=user).first()
    if profile is not None:
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(GraduateProfile),
            object_id=str(profile.pk),
        ).delete()
    # Entries elsewhere that name the person (a label or data with the address).
    named = Q(label__icontains=old_email) | Q(data__icontains=old_email)
    if full_name:
        named |= Q(label__icontains=full_name)
    ModelLogEntry.objects.filter(named).update(label="[erased]", data={})
    if profile is not None:
        # Every file ever stored for the person (earlier CVs and photos too),
        # once the erasure is committed.
        graduate_files_erase(profile=profile)
        profile.delete()  # cascades shortlists and profile views
    GraduateConsent.objects.filter(user=user).delete()
    ContactRequest.objects.filter(graduate=user).delete()
    ContactRequest.objects.filter(sent_by=user).update(sent_by=None)
    CompanyBlock.objects.filter(user=user).delete()
    CompanyMember.objects.filter(user=user).delete()
    CompanyInvite.objects.filter(email__iexact=old_email).delete()
    Invitation.objects.filter(email__iexact=old_email).delete()
    CalendarFeed.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Certificate.objects.filter(holder=user).update(holder=None)
    user_sessions_end(user=user)
    user.email = f"erased-{secrets.token_hex(8)}@erased.invalid"
    user.first_name = ""
    user.last_name = ""
    user.codice_fiscale = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    # The audit trail keeps that an account was erased, never whose.
    audit_log(instance=user, action="makers.account.erase", user=None)
