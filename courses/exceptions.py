from django.utils.translation import gettext_lazy as _


class EditionError(Exception):
    """A refused change to an edition; the message is shown to staff as is, and
    `code` (a key of MESSAGES) says which rule refused it."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


MESSAGES = {
    "not_draft": _("Only a draft edition can be opened for enrolment."),
    "already_cancelled": _("This edition is already cancelled."),
    "completed": _("A completed edition cannot be cancelled: reopen it first."),
    "not_finished": _(
        "The edition cannot be completed before its last session has ended."
    ),
    "not_completable": _("Only an edition in progress or open can be completed."),
    "not_reopenable": _("Only a completed or cancelled edition can be reopened."),
    "reason_required": _("Please give a reason."),
    "capacity_below_taken": _(
        "The capacity cannot go below the %(taken)s seats already taken."
    ),
    "capacity_positive": _("The capacity must be at least 1."),
    "instructor_busy": _(
        "%(instructor)s already teaches “%(topic)s” (%(edition)s) on %(date)s, "
        "%(start)s–%(end)s: an instructor cannot teach two sessions at once."
    ),
}


def refuse(code: str, **params) -> EditionError:
    message = MESSAGES[code]
    return EditionError(str(message % params) if params else str(message), code)
