"""The role groups and their permissions, as the apps granted them (people.roles)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from ..roles import role_grants


def _permission_ids() -> dict[str, int]:
    return {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }


def _tree_permissions_set(*, model, group: Group, root, wanted: set[int]) -> None:
    """The group holds exactly `wanted` on `root` (a page or a collection)."""
    target = "page" if model is GroupPagePermission else "collection"
    held = model.objects.filter(group=group, **{target: root})
    held.exclude(permission_id__in=wanted).delete()
    have = set(held.values_list("permission_id", flat=True))
    model.objects.bulk_create(
        model(group=group, permission_id=pk, **{target: root})
        for pk in sorted(wanted - have)
    )


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give each exactly the permissions the apps
    granted it (people.roles): model permissions, pages from the root of the
    page tree, images and documents in the root collection. Idempotent."""
    existing = _permission_ids()
    page_root = Page.get_first_root_node()
    collection_root = Collection.get_first_root_node()
    for role, grants in role_grants().items():
        group, _ = Group.objects.get_or_create(name=role.value)
        # set(), not add(): a permission no app grants any more is revoked.
        group.permissions.set(
            [existing[name] for name in grants.models if name in existing]
        )
        for model, root, names in (
            (GroupPagePermission, page_root, grants.pages),
            (GroupCollectionPermission, collection_root, grants.collections),
        ):
            if root is not None:
                wanted = {existing[name] for name in names if name in existing}
                _tree_permissions_set(
                    model=model, group=group, root=root, wanted=wanted
                )
