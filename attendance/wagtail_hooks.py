"""What attendance registers with Wagtail: the audit actions of registers and
assessments (core.audit), the staff Registers screens, a Register button on
each edition of the Editions snippet listing, and the trainee's Attendance link
in My courses (enrolment's "enrolment_links" hook)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from courses.models import CourseEdition
from enrolment.models import Enrolment, EnrolmentStatus

from .viewsets import LOOK, RegisterViewSet, policy

ATTENDANCE_LOG_ACTIONS = {
    "makers.attendance.mark": _("Register: attendance marked"),
    "makers.attendance.check_in": _("Register: self check-in"),
    "makers.attendance.correct": _("Register: corrected by staff"),
    "makers.attendance.close": _("Register: closed"),
    "makers.attendance.confirm": _("Register: self check-in confirmed"),
    "makers.attendance.details": _("Register: topics, teacher and times recorded"),
    "makers.attendance.scan": _("Register: sign-in sheet scan uploaded"),
    "makers.assessment.record": _("Assessment recorded"),
}

register_viewset = RegisterViewSet()


@hooks.register("register_log_actions")
def register_attendance_log_actions(actions) -> None:
    for action, label in ATTENDANCE_LOG_ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_viewset")
def register_register_viewset():
    return register_viewset


@hooks.register("register_snippet_listing_buttons")
def edition_register_button(snippet, user, next_url=None):
    """Each edition in the Editions snippet listing links to its register."""
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


@hooks.register("enrolment_links")
def enrolment_attendance_link(enrolment: Enrolment) -> list[tuple[str, str]]:
    """A confirmed trainee's row in My courses links to their attendance."""
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        return []
    return [
        (
            _("Attendance"),
            reverse("attendance:enrolment_attendance", args=[enrolment.pk]),
        )
    ]
