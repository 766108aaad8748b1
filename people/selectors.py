from allauth.mfa.models import Authenticator
from django.db.models import Q

from core.sql import prepared_read

from .models import CalendarFeed, Company, GraduateProfile, Role, User


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
    return bool(_needs_mfa_read.rows(user_id=user.pk))


@prepared_read(user_id=-1_000_001)
def _needs_mfa_read(*, user_id):
    """One query, compiled once (core.sql: it runs on every signed-in request,
    people.middleware): the admin permission held directly or through a group
    (what ModelBackend's has_perm reads), or the instructors' group."""
    admin = {"codename": "access_admin", "content_type__app_label": "wagtailadmin"}
    return (
        User.objects.filter(pk=user_id)
        .filter(
            Q(**{f"user_permissions__{key}": value for key, value in admin.items()})
            | Q(
                **{f"groups__permissions__{key}": value for key, value in admin.items()}
            )
            | Q(groups__name=Role.INSTRUCTOR.value)
        )
        .order_by()
        .values_list("pk")[:1]
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
    """The verified companies the person belongs to: those that may search the
    graduate directory on the person's behalf."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        Company.objects.filter(members__user=user, verified_at__isnull=False)
        .distinct()
        .order_by("name")
    )


def graduate_profile_of(*, user: User) -> GraduateProfile | None:
    return GraduateProfile.objects.filter(user=user).first()
