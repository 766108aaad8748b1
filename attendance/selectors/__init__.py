"""Every read of registers, attendance figures and assessments, in a fixed number
of queries whatever the number of trainees and sessions:

- access: who may see and write a register, when it locks, "My teaching";
- registers: one session's register screen and the registers' audit history;
- hours: hours attended per trainee and session, for funders' registers;
- figures: each trainee's attendance % and whether the minimum can be reached;
- assessments: per trainee and competency of the course.
"""

from .access import (
    STAFF_PERMISSION,
    Teaching,
    TeachingSession,
    editions_taught_all,
    instructor_teaching,
    register_is_locked,
    register_lock_hours,
    register_locks_at,
    sessions_with_register,
    user_is_instructor,
    user_is_register_staff,
    user_teaches_edition,
    user_teaches_session,
)
from .assessments import EditionAssessments, edition_assessments, enrolment_assessments
from .figures import (
    EditionAttendance,
    TraineeAttendance,
    edition_attendance,
    enrolment_attendance,
    enrolments_attendance,
)
from .hours import (
    EditionHours,
    TraineeHours,
    edition_hours_attended,
    hours_of,
    register_scans,
)
from .registers import (
    ATTENDANCE_ACTION_PREFIX,
    Register,
    RegisterRow,
    confirmed_enrolments,
    edition_register_history,
    register_history,
    register_marked_count,
    session_register,
    trainee_session_record,
)

__all__ = [
    "ATTENDANCE_ACTION_PREFIX",
    "STAFF_PERMISSION",
    "EditionAssessments",
    "EditionAttendance",
    "EditionHours",
    "Register",
    "RegisterRow",
    "Teaching",
    "TeachingSession",
    "TraineeAttendance",
    "TraineeHours",
    "confirmed_enrolments",
    "edition_assessments",
    "edition_attendance",
    "edition_hours_attended",
    "edition_register_history",
    "editions_taught_all",
    "enrolment_assessments",
    "enrolment_attendance",
    "enrolments_attendance",
    "hours_of",
    "instructor_teaching",
    "register_history",
    "register_is_locked",
    "register_lock_hours",
    "register_locks_at",
    "register_scans",
    "register_marked_count",
    "session_register",
    "sessions_with_register",
    "trainee_session_record",
    "user_is_instructor",
    "user_is_register_staff",
    "user_teaches_edition",
    "user_teaches_session",
]
