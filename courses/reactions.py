"""What the apps above courses do when an edition changes: an explicit registry.

courses sits below the apps that hold an edition's enrolments (DESIGN.md layers),
so it may not call them; instead each of those apps registers its reaction here,
and the edition services call the reactions by name at a stated point of their
transaction. Nothing runs that a reader of courses.services cannot see from the
service: no signals, no receivers looked up at a distance.

Who may register: an app above courses in the layers, from its
AppConfig.ready() (once; registering the same callable again changes nothing).
What runs: every registered reaction, in registration order (INSTALLED_APPS
order), inside the service's transaction with the edition row locked and its
new state saved. A reaction's writes commit or roll back with the edition's; a
reaction that raises undoes the whole change (an EditionError reaches staff as
the refusal's message). Side effects that must not roll back (emails) are for
the reaction to defer with transaction.on_commit, as the enrolment services do.
"""

from collections.abc import Callable
from typing import Protocol

from people.models import User

from .models import CourseEdition


class EditionCancelledReaction(Protocol):
    def __call__(
        self, *, edition: CourseEdition, actor: User | None, reason: str
    ) -> object: ...


class EditionSeatsChangedReaction(Protocol):
    def __call__(self, *, edition: CourseEdition, actor: User | None) -> object: ...


_cancelled: list[EditionCancelledReaction] = []
_seats_changed: list[EditionSeatsChangedReaction] = []


def _register(registry: list, reaction: Callable) -> None:
    if reaction not in registry:
        registry.append(reaction)


def on_edition_cancelled(reaction: EditionCancelledReaction) -> None:
    """Register what to do when an edition is cancelled (edition_cancel)."""
    _register(_cancelled, reaction)


def on_edition_seats_changed(reaction: EditionSeatsChangedReaction) -> None:
    """Register what to do when an edition may have free seats to pass on: its
    capacity changed (edition_capacity_set) or it was reopened (edition_reopen)."""
    _register(_seats_changed, reaction)


def edition_cancelled(
    *, edition: CourseEdition, actor: User | None, reason: str
) -> None:
    """Called by edition_cancel once the edition is saved as cancelled: the
    reactions cancel what hangs on it (its enrolments, waitlist and offers)."""
    for reaction in _cancelled:
        reaction(edition=edition, actor=actor, reason=reason)


def edition_seats_changed(*, edition: CourseEdition, actor: User | None) -> None:
    """Called by edition_capacity_set and edition_reopen once the edition is
    saved: the reactions give its free seats to whoever waits for one."""
    for reaction in _seats_changed:
        reaction(edition=edition, actor=actor)
