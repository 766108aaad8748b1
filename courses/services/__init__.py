"""Every write to courses' data. Views, hooks, commands and the demo call these.

editions: the status of an edition (open, cancel, complete, reopen);
capacity: its number of seats, and the edition editor's save;
sessions: creating and moving sessions, with the instructors' check.
Refusals raise courses.exceptions.EditionError.
"""

from .capacity import edition_capacity_set, edition_editor_save
from .editions import (
    edition_cancel,
    edition_complete,
    edition_lock,
    edition_open,
    edition_reopen,
    edition_seats_invalidate,
)
from .sessions import session_create, session_move, sessions_instructors_check

__all__ = [
    "edition_cancel",
    "edition_capacity_set",
    "edition_complete",
    "edition_editor_save",
    "edition_lock",
    "edition_open",
    "edition_reopen",
    "edition_seats_invalidate",
    "session_create",
    "session_move",
    "sessions_instructors_check",
]
