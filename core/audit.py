"""One audit log for everything staff and people do: Wagtail's own.

Every change of state is written with wagtail.log_actions.log(), so it shows in the
admin's History views and in the site history report beside page edits. Each app
registers its actions (name, label, message) with the `register_log_actions` hook
in its wagtail_hooks.py; actions are named "makers.<entity>.<what>".
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry


def audit_log(
    *,
    instance: Model,
    action: str,
    user=None,
    data: dict | None = None,
    at: datetime | None = None,
) -> ModelLogEntry:
    """Write one audit entry: who (user, None for the system: the active log
    context's user), what, on what, why; `at` when it happened, if not now (an
    entry written after commit). Wagtail's log(): the entry shows in the admin's
    History views. An action nobody registered is refused (ValueError)."""
    if not log_registry.action_exists(action):
        raise ValueError(f"The log action {action!r} has not been registered.")
    extra = {"timestamp": at} if at else {}
    entry = log(instance=instance, action=action, user=user, data=data or {}, **extra)
    if entry is None:  # pragma: no cover - every model has a log model
        raise RuntimeError(f"No audit log for {type(instance).__name__}")
    return entry


def audit_entries(*, instance: Model, prefix: str = "") -> QuerySet[ModelLogEntry]:
    """The instance's entries, oldest first; only actions starting with prefix."""
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(
            instance, for_concrete_model=False
        ),
        object_id=str(instance.pk),
    )
    if prefix:
        entries = entries.filter(action__startswith=prefix)
    return entries.select_related("user").order_by("timestamp", "pk")
