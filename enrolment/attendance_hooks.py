"""What enrolment/wagtail_hooks.py registers for registers and assessments:
their audit actions (core.audit), the staff Registers screens and a Register
button on each edition of the Editions snippet listing."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets.button import Button

from courses.models import CourseEdition

from .attendance_admin import LOOK, RegisterViewSet, policy

ATTENDANCE_LOG_ACTIONS = {
    "makers.attendance.mark": _("Register: attendance marked"),
    "makers.attendance.check_in": _("Register: self check-in"),
    "makers.attendance.correct": _("Register: corrected by staff"),
    "makers.attendance.close": _("Register: closed"),
    "makers.attendance.confirm": _("Register: self check-in confirmed"),
    "makers.assessment.record": _("Assessment recorded"),
}

register_viewset = RegisterViewSet()


def register_attendance_log_actions(actions) -> None:
    for action, label in ATTENDANCE_LOG_ACTIONS.items():
        actions.register_action(action, label, label)


def register_register_viewset():
    return register_viewset


def edition_register_button(snippet, user, next_url=None):
    if not isinstance(snippet, CourseEdition):
        return []
    if not policy.user_has_any_permission(user, LOOK):
        return []
    return [
        Button(
            _("Register"),
            url=reverse(register_viewset.get_url_name("edition"), args=[snippet.pk]),
            icon_name="calendar-check",
            priority=16,
        )
    ]
