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
