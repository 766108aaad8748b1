"""What happens to an edition that higher apps must act on (DESIGN.md layers:
courses never imports enrolment, so enrolment listens).

Sent inside the service's transaction, with the edition locked, so a receiver's
changes commit or roll back with the edition's.
"""

from django.dispatch import Signal

# edition, actor, reason: cancel every active enrolment, close the waitlist.
edition_cancelled = Signal()
# edition, actor: the capacity changed or the edition reopened; fill free seats.
edition_seats_changed = Signal()
