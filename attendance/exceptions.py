"""Refusals of the attendance services: one exception, its messages here."""

from django.utils.translation import gettext_lazy as _

from enrolment.exceptions import EnrolmentError


# A subclass of EnrolmentError, as it was when registers lived in enrolment:
# a view that catches EnrolmentError still catches these.
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
    "bad_time": _("Type a time as hours and minutes, for example 09:30."),
    "exit_before_entry": _("The exit time must be after the entry time."),
    "times_outside": _(
        "The entry and exit times must overlap the session (%(start)s–%(end)s)."
    ),
    "end_before_start": _("The actual end must be after the actual start."),
    "teacher_not_instructor": _(
        "The teacher must be one of the instructors of this session or edition."
    ),
    "tutor_not_allowed": _(
        "The tutor must be an instructor or a member of the school's staff, "
        "other than the teacher."
    ),
    "scan_too_large": _("The scan is too large: at most %(mb)s MB."),
    "scan_bad_type": _(
        "The scan must be a PDF, JPEG or PNG file that opens without errors."
    ),
    "scan_too_complex": _(
        "This PDF is too complex or holds active content (scripts, attachments): "
        "scan the sheet again as a plain PDF or an image."
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
