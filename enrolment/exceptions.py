from django.utils.translation import gettext_lazy as _


class EnrolmentError(Exception):
    """A refused enrolment operation; the message is shown to the user as is."""

    def __init__(self, message, code: str = "refused", **params):
        self.code = code
        self.params = params
        self.message = message
        super().__init__(str(message % params) if params else str(message))

    def __str__(self) -> str:
        return str(self.message % self.params) if self.params else str(self.message)


MESSAGES = {
    "not_open_yet": _("Enrolment for this edition opens on %(date)s."),
    "closed": _("Enrolment for this edition closed on %(date)s."),
    "not_open": _("This edition is not open for enrolment."),
    "cancelled_edition": _("This edition has been cancelled."),
    "started": _("This edition has already started."),
    "already_enrolled": _("You already have an enrolment in this edition."),
    "employee_already_enrolled": _(
        "%(person)s already has an enrolment in edition %(edition)s."
    ),
    "missing_prerequisite": _("To enrol you must first complete: %(courses)s."),
    "schedule_clash": _(
        "This edition clashes with edition %(edition)s you are confirmed in."
    ),
    "busy": _("Many people are enrolling right now: please try again in a moment."),
    "offer_clash": _(
        "This edition clashes with edition %(edition)s you are confirmed in. "
        "Cancel that enrolment first, or decline this offer: it stays open until "
        "%(date)s."
    ),
    "approve_clash": _(
        "%(person)s is confirmed in edition %(edition)s, whose sessions clash "
        "with this one: reject this request or cancel that enrolment first."
    ),
    "unverified_email": _("Please verify your email address before enrolling."),
    "not_employee": _("%(company)s does not count %(person)s among its members."),
    "not_manager": _("Only a manager of %(company)s can enrol its employees."),
    "offer_unknown": _("This offer link is not valid."),
    "offer_not_yours": _("This offer belongs to someone else."),
    "offer_used": _("This offer has already been used."),
    "offer_expired": _("This offer expired on %(date)s."),
    "not_active": _("This enrolment is no longer active."),
    "ended": _(
        "Edition %(edition)s has ended: its enrolments can no longer be cancelled."
    ),
    "not_pending": _(
        "Only an enrolment awaiting approval can be approved or rejected."
    ),
    "reason_required": _("Please give a reason."),
    "move_other_course": _(
        "An enrolment can only move to an edition of the same course."
    ),
    "move_same_edition": _("The enrolment is already in this edition."),
    "invitation_unknown": _("This invitation is no longer open."),
    "already_invited": _("%(email)s has already been invited to this edition."),
    "invitation_unverified": _(
        "%(company)s is awaiting verification by the school: until then it can "
        "enrol its own members, but not invite people by email."
    ),
    "invitation_company_rate": _(
        "%(company)s has sent many invitations in the last hour: please try again "
        "later."
    ),
    "invitation_address_rate": _(
        "This address has received many invitations today: please try again tomorrow."
    ),
}


def refuse(code: str, **params) -> EnrolmentError:
    return EnrolmentError(MESSAGES[code], code=code, **params)
