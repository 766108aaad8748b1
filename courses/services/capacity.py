"""An edition's capacity: one service, called by every path that changes it.

The edition editor (EditionEditView, through edition_editor_save), scripts and
tests call edition_capacity_set; the rule itself is courses.rules'
edition_capacity_check, which the model's clean() also calls for the form's
message. New seats pass to the waitlist through the reactions the higher apps
registered (courses.reactions), in the same transaction.
"""

from collections.abc import Callable

from django.db import transaction

from core.audit import audit_log
from people.models import User

from .. import reactions
from ..models import CourseEdition
from ..rules import edition_capacity_check
from .editions import edition_lock


@transaction.atomic
def edition_capacity_set(
    *, edition: CourseEdition, capacity: int, actor: User | None
) -> CourseEdition:
    """Change the number of seats: at least one, never below the seats already
    taken (EditionError otherwise). A change is audited and its new seats pass
    to the waitlist at once; the same capacity again changes nothing."""
    edition = edition_lock(edition=edition)
    edition_capacity_check(capacity=capacity, seats_taken=edition.seats_taken)
    old = edition.capacity
    if capacity == old:
        return edition
    edition.capacity = capacity
    edition.save(update_fields=["capacity"])
    audit_log(
        instance=edition,
        action="makers.edition.capacity_changed",
        user=actor,
        data={"old_capacity": old, "new_capacity": capacity},
    )
    reactions.edition_seats_changed(edition=edition, actor=actor)
    return edition


@transaction.atomic
def edition_editor_save(
    *,
    edition: CourseEdition,
    save: Callable[[], CourseEdition],
    actor: User | None,
) -> CourseEdition:
    """The edition editor's save, all or nothing: `save` stores what the form
    holds (Wagtail's save, with its log entry and the inline sessions), then
    the capacity the form asks for goes through edition_capacity_set.

    The edition row is locked first, and the fields only the services change
    (status, seats taken, capacity) are put back as stored, so the editor's
    save never overwrites a change made meanwhile. A refusal (EditionError)
    rolls the whole save back.
    """
    capacity = edition.capacity
    stored = edition_lock(edition=edition)
    edition.status = stored.status
    edition.seats_taken = stored.seats_taken
    edition.capacity = stored.capacity
    saved = save()
    return edition_capacity_set(edition=saved, capacity=capacity, actor=actor)
