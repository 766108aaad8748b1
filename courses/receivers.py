"""What courses does when a lower layer's data changes (DESIGN.md layers: people
never imports courses, so courses listens)."""

from django.db.models import Q
from django.utils import timezone

from people.models import User

from .models import CourseEdition

# The fields of a person that calendar events show (the instructor's name).
SHOWN_NAME_FIELDS = frozenset({"first_name", "last_name", "email"})


def instructor_saved(sender, instance: User, update_fields=None, **kwargs) -> None:
    """An instructor's name shows in the events of the editions they teach: a
    save that may change it marks those editions changed, so every calendar
    feed listing them gets a new ETag (courses.selectors.sessions_fingerprint).
    A save of other fields only (last_login at each sign-in) changes nothing."""
    if update_fields is not None and not SHOWN_NAME_FIELDS & set(update_fields):
        return
    if kwargs.get("created") or kwargs.get("raw"):
        return
    CourseEdition.objects.filter(
        Q(instructors=instance) | Q(sessions__instructor=instance)
    ).update(updated_at=timezone.now())
