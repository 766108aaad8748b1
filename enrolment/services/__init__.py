"""Every write to enrolments. Views and the admin call these, never the models.

Each public service is atomic, locks the edition row before it counts or moves
seats, writes an audit entry (Wagtail's log, core.audit) per status change and
emails the trainee after commit. Refusals raise enrolment.exceptions.EnrolmentError.
"""

from .enrolments import (
    enrolment_approve,
    enrolment_cancel,
    enrolment_create,
    enrolment_reject,
)
from .invitations import (
    enrolment_sponsor,
    invitation_accept,
    invitation_create,
    invitation_decline,
)
from .moves import enrolment_move
from .offers import (
    offer_accept,
    offer_decline,
    offers_expire,
    offers_expire_task,
)

__all__ = [
    "enrolment_approve",
    "enrolment_cancel",
    "enrolment_create",
    "enrolment_move",
    "enrolment_reject",
    "enrolment_sponsor",
    "invitation_accept",
    "invitation_create",
    "invitation_decline",
    "offer_accept",
    "offer_decline",
    "offers_expire",
    "offers_expire_task",
]
