from pathlib import Path

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.emails import email_send, site_url

from .consent import CONSENT_VERSION, consent_text
from .exceptions import PeopleError
from .invitation_limits import invitation_refusal
from .models import (
    GRADUATE_VISIBLE_FIELDS,
    CalendarFeed,
    Company,
    CompanyInvite,
    CompanyMember,
    ConsentAction,
    GraduateConsent,
    GraduateProfile,
    Role,
    User,
    calendar_feed_token,
    graduate_folder,
    graduate_storage,
)
from .selectors import company_name_taken
from .uploads import cv_clean, photo_clean

# What each role may do in the Wagtail admin, as "app_label.codename".
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.TRAINEE: [],
    Role.INSTRUCTOR: [],
    Role.COMPANY_MEMBER: [],
    Role.STAFF: [
        "wagtailadmin.access_admin",
        *[
            f"{app}.{action}_{model}"
            for app, model in [
                ("courses", "competency"),
                ("courses", "venue"),
                ("courses", "courseedition"),
                ("courses", "session"),
                ("people", "company"),
                ("people", "companymember"),
                ("enrolment", "enrolment"),
                ("attendance", "attendancerecord"),
                ("attendance", "assessment"),
                ("wagtailimages", "image"),
                ("wagtaildocs", "document"),
            ]
            for action in ("add", "change", "delete", "view")
        ],
    ],
}


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give each exactly its permissions. Idempotent."""
    existing = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        # set(), not add(): a permission taken out of ROLE_PERMISSIONS is revoked.
        group.permissions.set([existing[name] for name in names if name in existing])


def user_sessions_end(*, user: User) -> int:
    """End every session of the user, on every device; returns how many ended.

    For "sign out everywhere" after a lost phone or a shared computer. Sessions
    live in the database (Django's default engine); a session holds its user
    only inside its encoded data, so each unexpired one is decoded.
    """
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def calendar_feed_ensure(*, user: User) -> CalendarFeed:
    """The person's calendar feed secret, created on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Give the person a new feed secret: the old URL answers 404 from now on.

    Audited as makers.calendar_feed.reset (never with the token itself).
    """
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = calendar_feed_token()
        feed.created_at = timezone.now()
        feed.full_clean()
        feed.save(update_fields=["token", "created_at"])
    audit_log(instance=feed, action="makers.calendar_feed.reset", user=user)
    return feed


# --- Graduate profiles (issue 10) ---------------------------------------------

GRADUATE_EDITABLE_FIELDS = (
    "headline",
    "bio",
    "province",
    "availability",
    "languages",
    "skills",
    "phone",
    *(f"show_{name}" for name in GRADUATE_VISIBLE_FIELDS),
)


def graduate_profile_ensure(*, user: User) -> GraduateProfile:
    """The person's profile, created off (unpublished) on first use."""
    profile, _created = GraduateProfile.objects.get_or_create(user=user)
    return profile


def _graduate_files_delete(names: list[str]) -> None:
    for name in names:
        graduate_storage.delete(name)


@transaction.atomic
def graduate_profile_update(
    *,
    profile: GraduateProfile,
    data: dict,
    cv: UploadedFile | None = None,
    photo: UploadedFile | None = None,
    remove_cv: bool = False,
    remove_photo: bool = False,
) -> GraduateProfile:
    """Change the owner's fields and what companies may see of them. A CV or a
    photo is parsed and stored as what was parsed (people.uploads); a refused
    file changes nothing at all. A replaced or removed file leaves the disk once
    the change is committed."""
    new_cv = cv_clean(upload=cv) if cv is not None else None
    new_photo = photo_clean(upload=photo) if photo is not None else None
    for name, value in data.items():
        if name in GRADUATE_EDITABLE_FIELDS:
            setattr(profile, name, value)
    profile.province = (profile.province or "").upper()
    profile.full_clean(exclude=["cv", "photo"])
    replaced, written = [], []
    for field, new, remove in (
        ("cv", new_cv, remove_cv),
        ("photo", new_photo, remove_photo),
    ):
        current = getattr(profile, field)
        if current and (new is not None or remove):
            replaced.append(current.name)
            setattr(profile, field, "")
        if new is not None:
            getattr(profile, field).save(new.name, new, save=False)
            written.append(getattr(profile, field).name)
    try:
        profile.save()
        audit_log(
            instance=profile, action="makers.graduate_profile.update", user=profile.user
        )
    except Exception:
        _graduate_files_delete(written)  # the row never pointed at them
        raise
    if replaced:
        transaction.on_commit(lambda: _graduate_files_delete(replaced))
    return profile


def graduate_files_erase(*, profile: GraduateProfile) -> None:
    """Remove every file ever stored for the profile (its whole folder, earlier
    versions included) once the caller's transaction commits."""
    folder = graduate_folder(profile)

    def erase() -> None:
        if not graduate_storage.exists(folder):
            return
        _dirs, files = graduate_storage.listdir(folder)
        _graduate_files_delete([f"{folder}/{name}" for name in files])
        path = Path(graduate_storage.path(folder))
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()

    transaction.on_commit(erase)


@transaction.atomic
def graduate_profile_publish(
    *, profile: GraduateProfile, agreed: bool, language: str
) -> GraduateProfile:
    """Turn the profile on: only with the explicit consent, whose exact text and
    time go to the consent log."""
    if not agreed:
        raise PeopleError(PeopleError.CONSENT_REQUIRED)
    now = timezone.now()
    text = consent_text(language)
    consent = GraduateConsent(
        user=profile.user,
        action=ConsentAction.GIVEN,
        text=f"[{CONSENT_VERSION}] {text}",
        language=language[:2],
        at=now,
    )
    consent.full_clean()
    consent.save()
    profile.is_published = True
    profile.published_at = now
    profile.full_clean()
    profile.save(update_fields=["is_published", "published_at", "updated_at"])
    audit_log(
        instance=profile,
        action="makers.graduate_profile.publish",
        user=profile.user,
        data={"consent": consent.pk, "version": CONSENT_VERSION},
    )
    return profile


@transaction.atomic
def graduate_profile_unpublish(*, profile: GraduateProfile) -> GraduateProfile:
    """Turn the profile off: no company sees it from this moment; the withdrawal
    goes to the consent log."""
    if not profile.is_published:
        return profile
    GraduateConsent.objects.create(
        user=profile.user, action=ConsentAction.WITHDRAWN, at=timezone.now()
    )
    profile.is_published = False
    profile.published_at = None
    profile.full_clean()
    profile.save(update_fields=["is_published", "published_at", "updated_at"])
    audit_log(
        instance=profile, action="makers.graduate_profile.unpublish", user=profile.user
    )
    return profile


# --- Companies: registration, verification, members ------------------------------


def _company_admin_check(*, company: Company, user: User) -> None:
    if not CompanyMember.objects.filter(
        company=company, user=user, is_manager=True
    ).exists():
        raise PeopleError(PeopleError.NOT_COMPANY_ADMIN)


@transaction.atomic
def company_register(
    *,
    user: User,
    name: str,
    partita_iva: str,
    ateco: str = "",
    address: str = "",
    city: str = "",
    province: str = "",
    website: str = "",
) -> Company:
    """A person registers their company (partita IVA checked by python-stdnum) and
    becomes its administrator. It stays unverified, and its members see no
    graduate profile, until the school's staff verify it. Refused: a name that
    is a verified company's (company_name_key: case, spaces, punctuation and
    legal form aside) and markup in the name (the model's validator)."""
    partita_iva = (partita_iva or "").replace(" ", "").upper().removeprefix("IT")
    if Company.objects.filter(partita_iva=partita_iva).exists():
        raise PeopleError(PeopleError.COMPANY_EXISTS)
    if company_name_taken(name=name):
        raise PeopleError(PeopleError.COMPANY_NAME_TAKEN)
    company = Company(
        name=name.strip(),
        partita_iva=partita_iva,
        ateco=ateco.strip(),
        address=address.strip(),
        city=city.strip(),
        province=province.strip().upper(),
        website=website.strip(),
    )
    company.full_clean()
    company.save()
    member = CompanyMember(
        company=company, user=user, is_manager=True, can_use_directory=True
    )
    member.full_clean()
    member.save()
    group = Group.objects.filter(name=Role.COMPANY_MEMBER.value).first()
    if group is not None:
        user.groups.add(group)
    audit_log(instance=company, action="makers.company.register", user=user)
    return company


@transaction.atomic
def company_verify(*, company: Company, by: User) -> Company:
    """Staff confirm the company is who it says: from now on its members may
    search the graduate directory."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.verified_at is not None:
        raise PeopleError(PeopleError.ALREADY_VERIFIED)
    company.verified_at = timezone.now()
    company.verified_by = by
    company.full_clean()
    company.save(update_fields=["verified_at", "verified_by"])
    audit_log(instance=company, action="makers.company.verify", user=by)
    return company


@transaction.atomic
def company_invite_create(*, company: Company, by: User, email: str) -> CompanyInvite:
    """A company administrator invites a colleague by email; joining needs the
    colleague to sign in with that address and accept. Only a verified
    company, within the invitation rate limits (people.invitation_limits)."""
    _company_admin_check(company=company, user=by)
    email = (email or "").strip().lower()
    if CompanyMember.objects.filter(
        company=company, user__email__iexact=email
    ).exists():
        raise PeopleError(PeopleError.ALREADY_MEMBER)
    refusal = invitation_refusal(company=company, email=email)
    if refusal is not None:
        raise PeopleError(PeopleError.INVITATION_REFUSALS[refusal])
    invite = CompanyInvite.objects.filter(
        company=company, email__iexact=email, accepted_at__isnull=True
    ).first()
    if invite is None:
        invite = CompanyInvite(company=company, email=email, invited_by=by)
        invite.full_clean()
        invite.save()
    audit_log(
        instance=company, action="makers.company.invite", user=by, data={"email": email}
    )
    invite_id = invite.pk
    transaction.on_commit(lambda: company_invite_email_send(invite_id=invite_id))
    return invite


def company_invite_email_send(*, invite_id: int) -> None:
    invite = CompanyInvite.objects.select_related("company").get(pk=invite_id)

    with translation.override(settings.LANGUAGE_CODE):
        email_send(
            to=invite.email,
            subject=_("%(company)s invites you to join it at the Makers' School")
            % {"company": invite.company.name[:80]},
            template="people/emails/company_invite",
            context={
                "invite": invite,
                "accept_url": site_url(
                    reverse("portal:company_join", args=[invite.token])
                ),
            },
        )


@transaction.atomic
def company_invite_accept(*, token: str, user: User) -> CompanyMember:
    """The invited colleague, signed in with the invited address, joins."""
    invite = (
        CompanyInvite.objects.select_for_update()
        .filter(token=token, accepted_at__isnull=True)
        .first()
    )
    if invite is None:
        raise PeopleError(PeopleError.INVITE_INVALID)
    if invite.email.lower() != user.email.lower():
        raise PeopleError(PeopleError.INVITE_OTHER_EMAIL)
    try:
        with transaction.atomic():
            member = CompanyMember.objects.create(company=invite.company, user=user)
    except IntegrityError:
        raise PeopleError(PeopleError.ALREADY_MEMBER) from None
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    group = Group.objects.filter(name=Role.COMPANY_MEMBER.value).first()
    if group is not None:
        user.groups.add(group)
    audit_log(instance=invite.company, action="makers.company.member_join", user=user)
    return member


@transaction.atomic
def company_member_remove(*, company: Company, by: User, member: CompanyMember) -> None:
    """A company administrator removes a colleague; never the last administrator."""
    _company_admin_check(company=company, user=by)
    if member.company_id != company.pk:
        raise PeopleError(PeopleError.NOT_COMPANY_ADMIN)
    if (
        member.is_manager
        and not CompanyMember.objects.filter(company=company, is_manager=True)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise PeopleError(PeopleError.LAST_ADMIN)
    audit_log(
        instance=company,
        action="makers.company.member_remove",
        user=by,
        data={"member": member.user.email},
    )
    member.delete()


@transaction.atomic
def company_member_directory_access(
    *, company: Company, by: User, member: CompanyMember, allowed: bool
) -> CompanyMember:
    """A company's manager grants a member the graduate directory, or takes it
    back. Managers always hold it (a database constraint); audited."""
    _company_admin_check(company=company, user=by)
    member = CompanyMember.objects.select_for_update().get(pk=member.pk)
    if member.company_id != company.pk:
        raise PeopleError(PeopleError.NOT_COMPANY_ADMIN)
    if member.is_manager and not allowed:
        raise PeopleError(PeopleError.MANAGER_DIRECTORY)
    if member.can_use_directory == allowed:
        return member
    member.can_use_directory = allowed
    member.full_clean()
    member.save(update_fields=["can_use_directory"])
    audit_log(
        instance=company,
        action="makers.company.directory_grant"
        if allowed
        else "makers.company.directory_revoke",
        user=by,
        data={"member": member.user.email},
    )
    return member
