"""What each role may do in the Wagtail admin, granted by the app that owns the
screens.

people names no app above it (DESIGN.md): each app grants the roles what its
own screens need from its AppConfig.ready(), e.g.

    grant(Role.STAFF, "courses", ["courseedition", "session"])

Wagtail keeps pages and collections (images, documents) apart from model
permissions: grant_pages() gives a role page actions over the whole page tree,
grant_collections() a model's actions over every collection. roles_sync()
(people.services) gives each role's group exactly the union of its grants; what
no app grants any more is revoked at the next sync.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Role

MODEL_ACTIONS = ("add", "change", "delete", "view")


@dataclass
class Grants:
    """One role's grants, each permission as "app_label.codename"."""

    models: set[str] = field(default_factory=set)
    pages: set[str] = field(default_factory=set)
    collections: set[str] = field(default_factory=set)


_grants: dict[Role, Grants] = {role: Grants() for role in Role}


def _names(app_label: str, models: Iterable[str], actions: Iterable[str]) -> set[str]:
    actions = tuple(actions)
    return {f"{app_label}.{action}_{model}" for model in models for action in actions}


def grant(
    role: Role,
    app_label: str,
    models: Iterable[str] = (),
    *,
    actions: Iterable[str] = MODEL_ACTIONS,
    codenames: Iterable[str] = (),
) -> None:
    """Give `role` each of `actions` on each model of `models` (model names, as
    in "courseedition") of the app `app_label`, and the app's other permissions
    `codenames` (e.g. "access_admin")."""
    names = _grants[role].models
    names.update(_names(app_label, models, actions))
    names.update(f"{app_label}.{codename}" for codename in codenames)


def grant_pages(role: Role, *, actions: Iterable[str]) -> None:
    """Give `role` the page `actions` ("add", "change", "publish", ...) on every
    page of every site (a permission on the root of the page tree)."""
    _grants[role].pages.update(_names("wagtailcore", ["page"], actions))


def grant_collections(
    role: Role, app_label: str, model: str, *, actions: Iterable[str]
) -> None:
    """Give `role` the `actions` on `model` (an image, a document) in every
    collection (a permission on the root collection)."""
    _grants[role].collections.update(_names(app_label, [model], actions))


def role_grants() -> dict[Role, Grants]:
    """Each role and what the apps granted it."""
    return _grants
