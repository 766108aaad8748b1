"""One audit log for everything staff and people do: Wagtail's own.

Every change of state is written with wagtail.log_actions.log(), so it shows in the
admin's History views and in the site history report beside page edits. Each app
registers its actions (name, label, message) with the `register_log_actions` hook
in its wagtail_hooks.py; actions are named "makers.<entity>.<what>".
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry


def audit_log(
    *, instance: Model, action: str, user=None, data: dict | None = None
) -> ModelLogEntry:
    """Write one audit entry: who (user, None for the system), what, on what, why."""
    entry = log(instance, action, user=user, data=data or {})
    if entry is None:  # pragma: no cover - every model has Wagtail's ModelLogEntry
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
