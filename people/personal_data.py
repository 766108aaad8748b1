"""Every person's data: the export (GDPR arts. 15 and 20) and the erasure (art.
17), with people since DESIGN.md puts them here.

Each app adds what it holds about the person from its AppConfig.ready(): a
section of the export (export_section_register) and a step of the erasure
(erasure_step_register); people names no app above it. The export's top-level
keys are a stable schema (EXPORT_SCHEMA_VERSION): "schema" first, then one key
per section in the order of their positions, present even when empty.

Erasure anonymises the account rather than deleting it, so enrolment and
attendance figures stay as anonymous school statistics; issued certificates stay
verifiable with the name snapshotted on them (their app unlinks them).
"""

import datetime
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.audit import audit_log
from core.prepared_files import prepared_files_delete

from .models import (
    CalendarFeed,
    CompanyInvite,
    CompanyMember,
    GraduateConsent,
    GraduateProfile,
    User,
)
from .security import prepared_export_log
from .services import graduate_files_erase, user_sessions_end

EXPORT_SCHEMA_VERSION = 1


def export_value(value):
    """A value as JSON holds it: dates in ISO 8601, decimals as numbers."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def export_rows(queryset, fields) -> list[dict]:
    """The rows of `queryset` as dicts of `fields`, JSON-ready."""
    return [
        {key: export_value(value) for key, value in row.items()}
        for row in queryset.values(*fields)
    ]


# --- The registry ---------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    position: int
    build: Callable[..., object]  # build(*, user) -> JSON-ready data


_sections: dict[str, Section] = {}
_profile_extras: dict[str, Callable[..., object]] = {}
_erasure_steps: list[Callable[..., None]] = []


def export_section_register(
    *, key: str, position: int, build: Callable[..., object]
) -> None:
    """The export's top-level `key` is `build(user=...)`. `position` orders the
    keys (people's own sections stand at 10, 20, 30, 40, 50 and 1000): keys
    never move once published, people's tools may read them in order."""
    if key in _sections and _sections[key].build is not build:
        raise ValueError(f"The export section {key!r} is already registered.")
    _sections[key] = Section(key=key, position=position, build=build)


def export_profile_extra_register(*, key: str, build: Callable[..., object]) -> None:
    """The graduate profile's section ends with `key`: `build(profile=...)`."""
    _profile_extras[key] = build


def erasure_step_register(step: Callable[..., None]) -> None:
    """Erasing an account runs `step(user=..., email=...)` (its address before
    the erasure), inside the erasure's transaction, before the account row is
    anonymised."""
    if step not in _erasure_steps:
        _erasure_steps.append(step)


def export_keys() -> tuple[str, ...]:
    """The export's top-level keys, in order."""
    ordered = sorted(_sections.values(), key=lambda section: section.position)
    return ("schema", *(section.key for section in ordered))


def __getattr__(name: str):
    # EXPORT_KEYS is read once every app has registered its sections.
    if name == "EXPORT_KEYS":
        return export_keys()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def personal_data_export(*, user: User) -> dict:
    """Everything the school holds about the person, as JSON-ready data."""
    data: dict = {
        "schema": {
            "name": "makers-school-personal-data",
            "version": EXPORT_SCHEMA_VERSION,
        }
    }
    for key in export_keys()[1:]:
        data[key] = _sections[key].build(user=user)
    return data


# The kind of prepared file (core.exports) of the person's own export.
PERSONAL_DATA_KIND = "personal_data"


def personal_data_audit(*, event: str, prepared, user: User, request) -> None:
    """The export's audit (core.exports): who asked for or downloaded whose
    data, on the person's account (their history; the security events)."""
    prepared_export_log(
        event=event,
        prepared=prepared,
        user=user,
        request=request,
        instance=prepared.owner,
    )


def personal_data_file(*, owner: User, params: dict) -> tuple[str, str, bytes]:
    """The export as the JSON file the person downloads (a prepared file's
    builder): (filename, content type, bytes)."""
    data = personal_data_export(user=owner)
    stamp = timezone.localdate().isoformat()
    return (
        f"makers-school-my-data-{stamp}.json",
        "application/json; charset=utf-8",
        json.dumps(data, ensure_ascii=False, indent=2).encode(),
    )


@transaction.atomic
def account_erase(*, user: User) -> None:
    """Erase the person: profile, files, consents, memberships, invitations,
    addresses and second factors are deleted, and whatever each app registered
    (erasure_step_register: contact requests, blocks, views, certificates
    unlinked from the account...); the account row is kept anonymised
    (inactive, no usable password, a random address) so enrolment and
    attendance figures stay as anonymous statistics."""
    user = User.objects.select_for_update().get(pk=user.pk)
    old_email = user.email
    profile = GraduateProfile.objects.filter(user=user).first()
    _audit_erase(profile=profile, email=old_email, full_name=user.get_full_name())
    if profile is not None:
        # Every file ever stored for the person (earlier CVs and photos too),
        # once the erasure is committed.
        graduate_files_erase(profile=profile)
        profile.delete()  # cascades what other apps hold about the profile
    GraduateConsent.objects.filter(user=user).delete()
    for step in _erasure_steps:
        step(user=user, email=old_email)
    CompanyMember.objects.filter(user=user).delete()
    CompanyInvite.objects.filter(email__iexact=old_email).delete()
    CalendarFeed.objects.filter(user=user).delete()
    prepared_files_delete(owner=user)  # earlier exports hold the person's data
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user_sessions_end(user=user)
    _anonymise(user)
    # The audit trail keeps that an account was erased, never whose.
    audit_log(instance=user, action="makers.account.erase", user=None)


def _audit_erase(*, profile: GraduateProfile | None, email: str, full_name: str):
    """The profile's own history goes; entries elsewhere that name the person
    (a label or data with the address or the name) are blanked."""
    if profile is not None:
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(GraduateProfile),
            object_id=str(profile.pk),
        ).delete()
    named = Q(label__icontains=email) | Q(data__icontains=email)
    if full_name:
        named |= Q(label__icontains=full_name)
    ModelLogEntry.objects.filter(named).update(label="[erased]", data={})


def _anonymise(user: User) -> None:
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


# --- People's own sections --------------------------------------------------------


def account_section(*, user: User) -> dict:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "codice_fiscale": user.codice_fiscale,
        "date_joined": export_value(user.date_joined),
        "last_login": export_value(user.last_login),
        "has_calendar_feed": CalendarFeed.objects.filter(user=user).exists(),
        "has_two_factor": Authenticator.objects.filter(user=user).exists(),
    }


def email_addresses_section(*, user: User) -> list[dict]:
    return export_rows(
        EmailAddress.objects.filter(user=user), ["email", "verified", "primary"]
    )


def company_memberships_section(*, user: User) -> list[dict]:
    return export_rows(
        CompanyMember.objects.filter(user=user),
        ["company__name", "company__partita_iva", "is_manager", "created_at"],
    )


def graduate_profile_section(*, user: User) -> dict | None:
    profile = GraduateProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    data = {
        "public_id": profile.public_id,
        "is_published": profile.is_published,
        "published_at": export_value(profile.published_at),
        **{
            name: getattr(profile, name)
            for name in (
                "headline",
                "bio",
                "province",
                "availability",
                "languages",
                "skills",
                "phone",
            )
        },
        "has_photo": bool(profile.photo),
        "has_cv": bool(profile.cv),
        "shown_fields": [
            name
            for name in (f.name for f in GraduateProfile._meta.fields)
            if name.startswith("show_") and getattr(profile, name)
        ],
    }
    for key, build in _profile_extras.items():
        data[key] = build(profile=profile)
    return data


def graduate_consents_section(*, user: User) -> list[dict]:
    return export_rows(
        GraduateConsent.objects.filter(user=user),
        ["action", "text", "language", "at"],
    )


def audit_entries_section(*, user: User) -> list[dict]:
    """What the audit log records the person did, or about their account and
    their graduate profile."""
    user_ct = ContentType.objects.get_for_model(User)
    audit = ModelLogEntry.objects.filter(
        Q(user=user) | Q(content_type=user_ct, object_id=str(user.pk))
    )
    profile = GraduateProfile.objects.filter(user=user).first()
    if profile is not None:
        audit = audit | ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(GraduateProfile),
            object_id=str(profile.pk),
        )
    return export_rows(
        audit.distinct().order_by("timestamp"),
        ["action", "timestamp", "content_type__model", "object_id", "data"],
    )


def register_people_sections() -> None:
    """People's own sections of the export (PeopleConfig.ready())."""
    for key, position, build in (
        ("account", 10, account_section),
        ("email_addresses", 20, email_addresses_section),
        ("company_memberships", 30, company_memberships_section),
        ("graduate_profile", 40, graduate_profile_section),
        ("graduate_consents", 50, graduate_consents_section),
        ("audit_entries", 1000, audit_entries_section),
    ):
        export_section_register(key=key, position=position, build=build)
