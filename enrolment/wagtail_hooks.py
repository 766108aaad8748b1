from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.permissions import policy_registry

from courses.models import CourseEdition

from .models import Enrolment, EnrolmentStatus, status_action
from .viewsets import LOOK, EnrolmentViewSet

enrolment_viewset = EnrolmentViewSet()


@hooks.register("register_admin_viewset")
def register_enrolment_viewset():
    return enrolment_viewset


@hooks.register("register_snippet_listing_buttons")
def edition_roster_button(snippet, user, next_url=None):
    """Each edition in the Editions snippet listing links to its roster."""
    if not isinstance(snippet, CourseEdition):
        return []
    policy = policy_registry.get_by_type(Enrolment)
    if not policy.user_has_any_permission(user, LOOK):
        return []
    return [
        Button(
            _("Enrolments"),
            url=reverse(enrolment_viewset.get_url_name("roster"), args=[snippet.pk]),
            icon_name="group",
            priority=15,
        )
    ]


@hooks.register("register_log_actions")
def register_enrolment_log_actions(actions):
    """One audit action per status an enrolment can reach (core.audit)."""
    for status in EnrolmentStatus:
        label = format_lazy("{}: {}", _("Enrolment"), status.label)
        actions.register_action(status_action(status.value), label, label)


# ---------------------------------------------------------------------------
# Attendance and assessment (issue 7): registers and assessments. Appended as a
# separate block; the names it needs are imported here, not at the top.

from .attendance_hooks import (  # noqa: E402
    edition_register_button as _edition_register_button,
)
from .attendance_hooks import (  # noqa: E402
    register_attendance_log_actions as _attendance_log_actions,
)
from .attendance_hooks import (  # noqa: E402
    register_register_viewset as _register_viewset,
)

hooks.register("register_log_actions", _attendance_log_actions)
hooks.register("register_admin_viewset", _register_viewset)
hooks.register("register_snippet_listing_buttons", _edition_register_button)
