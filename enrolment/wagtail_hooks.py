from django.urls import include, path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses.models import CourseEdition

from . import admin_views
from .models import EnrolmentStatus, status_action
from .services import edition_capacity_changed

admin_urlpatterns = [
    path("", admin_views.edition_list, name="editions"),
    path("editions/<int:pk>/", admin_views.edition_detail, name="edition"),
    path(
        "editions/<int:pk>/export.<str:fmt>",
        admin_views.edition_export,
        name="export",
    ),
    path("<int:pk>/", admin_views.enrolment_detail, name="enrolment"),
    path("<int:pk>/<str:action>/", admin_views.enrolment_action, name="action"),
]


@hooks.register("register_admin_urls")
def register_enrolment_admin_urls():
    return [
        path(
            "enrolments/",
            include(
                (admin_urlpatterns, "enrolment_admin"), namespace="enrolment_admin"
            ),
        )
    ]


class EnrolmentMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_enrolment_menu_item():
    return EnrolmentMenuItem(
        _("Enrolments"),
        reverse("enrolment_admin:editions"),
        icon_name="group",
        order=210,
    )


@hooks.register("after_edit_snippet")
def fill_new_seats_after_edition_edit(request, instance):
    """Staff raised the capacity (or reopened an edition): offer the new seats."""
    if isinstance(instance, CourseEdition):
        edition_capacity_changed(edition=instance, actor=request.user)


@hooks.register("register_log_actions")
def register_enrolment_log_actions(actions):
    """One audit action per status an enrolment can reach (core.audit)."""
    for status in EnrolmentStatus:
        label = format_lazy("{}: {}", _("Enrolment"), status.label)
        actions.register_action(status_action(status.value), label, label)
