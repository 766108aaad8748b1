"""Edition rules that are checks of values alone: no query, no lock.

The edition services call them under the edition's row lock, where the figures
are sure; a model's clean() calls the same function, so the editor's form shows
the refusal next to its field before anything is saved. Each rule is written
here once.
"""

from .exceptions import refuse


def edition_capacity_check(*, capacity: int, seats_taken: int) -> None:
    """A capacity is at least one seat and never below the seats already taken
    (confirmed, awaiting approval and open offers). Refused with EditionError."""
    if capacity < 1:
        raise refuse("capacity_positive")
    if capacity < seats_taken:
        raise refuse("capacity_below_taken", taken=seats_taken)
