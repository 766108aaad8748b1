"""Every write to registers and assessments. Views, the admin and commands call
these, never the models.

- marks: a mark, "all present", a staff correction;
- registers: closing a register, confirming its self check-ins;
- check_in: the trainee's self check-in with the session's rotating code;
- details: topics covered, teacher, tutor, actual times of a session;
- scans: the signed paper sign-in sheet of a session;
- assessments: a trainee's outcome for one competency of the course.

Each public service is atomic and audited (makers.attendance.*,
makers.assessment.record); refusals raise attendance.exceptions.AttendanceError
and store nothing.
"""

from ._base import minutes_default
from .assessments import assessment_record
from .check_in import (
    CHECKIN_GRACE,
    CHECKIN_MAX_AGE_SECONDS,
    CHECKIN_OPENS_BEFORE,
    CHECKIN_ROTATE_SECONDS,
    attendance_check_in,
    checkin_token_make,
)
from .details import register_details_save
from .marks import attendance_all_present, attendance_correct, attendance_mark
from .registers import attendance_confirm_check_ins, register_close
from .scans import register_scan_add

__all__ = [
    "CHECKIN_GRACE",
    "CHECKIN_MAX_AGE_SECONDS",
    "CHECKIN_OPENS_BEFORE",
    "CHECKIN_ROTATE_SECONDS",
    "assessment_record",
    "attendance_all_present",
    "attendance_check_in",
    "attendance_confirm_check_ins",
    "attendance_correct",
    "attendance_mark",
    "checkin_token_make",
    "minutes_default",
    "register_close",
    "register_details_save",
    "register_scan_add",
]
