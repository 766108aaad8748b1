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


class AttendanceError(EnrolmentError):
    """A refused register, check-in or assessment operation (the message is shown
    to the user as is). code "not_allowed" means the person may not act here at
    all: views answer it with 403."""


ATTENDANCE_MESSAGES = {
    "not_allowed": _(
        "Only the edition's instructors and the school's staff can do this."
    ),
    "not_staff": _("Only the school's staff can correct a register."),
    "not_confirmed": _("%(person)s is not a confirmed trainee of this edition."),
    "session_cancelled": _("This session has been cancelled."),
    "not_started": _(
        "This session has not started yet: only an excused absence can be recorded "
        "in advance."
    ),
    "locked": _(
        "This register was locked on %(date)s: only the school's staff can change it, "
        "with a reason."
    ),
    "reason_required": _("Please give the reason for the correction."),
    "bad_status": _("This is not an attendance status."),
    "bad_minutes": _(
        "Minutes present must be a whole number between %(low)s and %(high)s."
    ),
    "close_not_started": _("A register can be closed only once its session has begun."),
    "checkin_invalid": _("This check-in code is not valid for this session."),
    "checkin_expired": _(
        "This check-in code has expired: scan the code on the screen again."
    ),
    "checkin_closed": _("Check-in is open only while the session is running."),
    "checkin_recorded": _("Your attendance at this session is already recorded."),
    "checkin_done": _("You are already checked in to this session."),
    "checkin_other_device": _(
        "You already checked in to this session from another device: a trainee "
        "checks in from one device only."
    ),
    "checkin_device_used": _(
        "Another trainee has already checked in to this session from this device: "
        "check in from your own phone, or ask the instructor to mark you."
    ),
    "checkin_no_device": _(
        "Your browser did not keep the check-in cookie: allow cookies for this "
        "site and scan the code again."
    ),
    "close_unconfirmed": _(
        "Confirm the self check-ins before closing the register: %(people)s."
    ),
    "close_unmarked": _(
        "Not marked yet: %(people)s. Mark them, or confirm that you close the "
        "register without them."
    ),
    "nothing_to_confirm": _("There is no self check-in to confirm."),
    "competency_not_in_course": _(
        "%(competency)s is not one of the competencies of this course."
    ),
    "bad_score": _("The score must be a whole number between 0 and 100."),
}


def refuse_attendance(code: str, **params) -> AttendanceError:
    return AttendanceError(ATTENDANCE_MESSAGES[code], code=code, **params)
