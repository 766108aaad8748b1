from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role

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
