from allauth.mfa.models import Authenticator
from django.db.models import Q

from .models import (
    CalendarFeed,
    Company,
    CompanyMember,
    GraduateProfile,
    Role,
    User,
    company_name_key,
)


def user_has_mfa(*, user: User) -> bool:
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def user_needs_mfa(*, user: User) -> bool:
    """Whoever can enter the admin, is a superuser or teaches needs a second factor.

    The rule follows what a person may do, not the is_staff flag, which Wagtail's
    own user form never sets: a user created in the admin as an administrator or
    in the Staff group must be held to it as well (DESIGN.md: staff and
    instructors use MFA).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # One query (it runs on every signed-in request, people.middleware: a
    # prepared statement on PostgreSQL): the admin permission held directly or
    # through a group (what ModelBackend's has_perm reads), or the instructors'
    # group.
    admin = {"codename": "access_admin", "content_type__app_label": "wagtailadmin"}
    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Q(**{f"user_permissions__{key}": value for key, value in admin.items()})
            | Q(
                **{f"groups__permissions__{key}": value for key, value in admin.items()}
            )
            | Q(groups__name=Role.INSTRUCTOR.value)
        )
        .exists()
    )


def calendar_feed_by_token(*, token: str) -> CalendarFeed | None:
    """The feed a token opens, with its user; None for an unknown or reset one."""
    return (
        CalendarFeed.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )


# --- Graduate profiles and companies (issue 10) ---------------------------------


def companies_administered(*, user: User) -> list[Company]:
    """The companies the person administers (manager members), by name."""
    if not user.is_authenticated:
        return []
    return list(
        Company.objects.filter(members__user=user, members__is_manager=True)
        .distinct()
        .order_by("name")
    )


def verified_companies_of(*, user: User) -> list[Company]:
    """The verified companies in which the person may search the graduate
    directory: a manager, or a member a manager granted it to."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        Company.objects.filter(
            members__user=user,
            members__can_use_directory=True,
            verified_at__isnull=False,
        )
        .distinct()
        .order_by("name")
    )


def company_name_taken(*, name: str) -> bool:
    """Whether a verified company already has this name, as company_name_key
    compares names."""
    key = company_name_key(name)
    if not key:
        return False
    names = Company.objects.filter(verified_at__isnull=False).values_list(
        "name", flat=True
    )
    return any(company_name_key(other) == key for other in names.iterator())


def company_memberships_of(*, user: User) -> list[CompanyMember]:
    """Every company the person belongs to, with it: why the directory is
    closed to them (no company, not verified yet, no access granted)."""
    if not user.is_authenticated:
        return []
    return list(
        CompanyMember.objects.filter(user=user)
        .select_related("company")
        .order_by("company__name")
    )


def graduate_profile_of(*, user: User) -> GraduateProfile | None:
    return GraduateProfile.objects.filter(user=user).first()
