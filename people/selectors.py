from allauth.mfa.models import Authenticator

from .models import Role, User


def user_has_mfa(*, user: User) -> bool:
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def user_roles(*, user: User) -> set[str]:
    """The roles of a user, as Role values; staff flag counts as the staff role."""
    roles = set(user.groups.values_list("name", flat=True)) & set(Role.values)
    if user.is_staff:
        roles.add(Role.STAFF.value)
    return roles
