"""What enrolment/wagtail_hooks.py registers for registers and assessments:
their audit actions (core.audit) and the staff register screens."""

from django.utils.translation import gettext_lazy as _

ATTENDANCE_LOG_ACTIONS = {
    "makers.attendance.mark": _("Register: attendance marked"),
    "makers.attendance.check_in": _("Register: self check-in"),
    "makers.attendance.correct": _("Register: corrected by staff"),
    "makers.attendance.close": _("Register: closed"),
    "makers.assessment.record": _("Assessment recorded"),
}


def register_attendance_log_actions(actions) -> None:
    for action, label in ATTENDANCE_LOG_ACTIONS.items():
        actions.register_action(action, label, label)
