from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from .models import Role, User

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
                ("wagtailimages", "image"),
                ("wagtaildocs", "document"),
                ("enrolment", "attendancerecord"),
                ("enrolment", "assessment"),
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
