"""*Reports > Security events* in the Wagtail admin: the ``makers.security.*``
entries of the audit log (people.security), newest first, with filters by event
and date and a CSV/XLSX export, for staff and administrators only.

Registered with Wagtail's hooks from here (this module is imported by
PeopleConfig.ready()); people/wagtail_hooks.py stays the companies' admin.
"""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView
from wagtail.models import ModelLogEntry

from .security import ACTIONS, PREFIX, security_events_viewable


class SecurityEventFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Event"),
        choices=[(action, label) for action, (label, _message) in ACTIONS.items()],
        empty_label=_("All events"),
    )
    timestamp = django_filters.DateFromToRangeFilter(
        label=_("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ModelLogEntry
        fields = ["action", "timestamp"]


class SecurityEventsView(ReportView):
    page_title = _("Security events")
    header_icon = "warning"
    template_name = "wagtailadmin/reports/base_report.html"
    results_template_name = "people/security_events_results.html"
    filterset_class = SecurityEventFilterSet
    index_url_name = "makers_security_events"
    index_results_url_name = "makers_security_events_results"
    context_object_name = "entries"
    list_export = ["timestamp", "action", "label", "user_display_name", "data"]
    export_headings = {
        "timestamp": _("Date/Time"),
        "action": _("Event"),
        "label": _("Concerning"),
        "user_display_name": _("User"),
        "data": _("Details"),
    }

    def dispatch(self, request, *args, **kwargs):
        # Inside the admin, Wagtail turns this into its "no permission" redirect
        # (and people.security logs the denial).
        if not security_events_viewable(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"security-events-{datetime.date.today().isoformat()}"

    def get_queryset(self):
        return (
            ModelLogEntry.objects.filter(action__startswith=PREFIX)
            .select_related("user", "content_type")
            .order_by("-timestamp", "-pk")
        )


class SecurityEventsMenuItem(MenuItem):
    def is_shown(self, request):
        return security_events_viewable(request.user)


@hooks.register("register_admin_urls")
def register_security_events_urls():
    view = SecurityEventsView.as_view()
    return [
        path("reports/security-events/", view, name="makers_security_events"),
        path(
            "reports/security-events/results/",
            SecurityEventsView.as_view(results_only=True),
            name="makers_security_events_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_security_events_menu_item():
    return SecurityEventsMenuItem(
        _("Security events"),
        reverse("makers_security_events"),
        name="security-events",
        icon_name="warning",
        order=1100,
    )
