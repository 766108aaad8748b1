"""The staff side of enrolments in the Wagtail admin, built on Wagtail's generic views.

A listing with filters, search and pagination; an inspect view with the enrolment's
audit trail and Wagtail's own history view; actions with a confirmation page and
an edition's roster with manual enrolment and exports (enrolment.admin_views).
Every change goes through enrolment.services, and the Enrolment model's
permission policy decides who may look (view) and who may act (change, add).
Registers, certificates and companies follow the same pattern.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

from core.admin_ui import LocalTimeInspectMixin, PlainColumn
from courses.models import CourseEdition
from people.models import Company

from . import selectors
from .admin_filters import EditionFilter
from .admin_views import (
    ACT,
    ACTION_LABELS,
    LOOK,
    EditionAutocompleteView,
    EditionExportView,
    EditionRosterView,
    EnrolmentApproveView,
    EnrolmentCancelView,
    EnrolmentMoveView,
    EnrolmentRejectView,
    enrolments_for_admin,
)
from .models import Enrolment, EnrolmentStatus


class EnrolmentFilterSet(WagtailFilterSet):
    # A code typed with suggestions, not a select of every edition.
    edition = EditionFilter(
        label=gettext_lazy("Edition"),
        queryset=CourseEdition.objects.select_related("course"),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=EnrolmentStatus.choices
    )
    sponsor_company = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Sponsoring company"), queryset=Company.objects.all()
    )

    class Meta:
        model = Enrolment
        fields = ["edition", "status", "sponsor_company"]


class EnrolmentIndexView(generic.IndexView):
    any_permission_required = LOOK
    roster_url_name = None

    def get_base_queryset(self):
        return enrolments_for_admin()

    def get_list_more_buttons(self, instance):
        # Its only entry was "Inspect", which the trainee's name already links
        # to: a dropdown per row was a third of the page's render (issue 22).
        return []

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return selectors.enrolments_search(enrolments=queryset, q=self.search_query)

    @cached_property
    def header_buttons(self):
        # Filtered down to one edition: offer that edition's roster and exports.
        buttons = super().header_buttons
        form = self.filters.form if self.filters else None
        edition = form.cleaned_data.get("edition") if form and form.is_valid() else None
        if edition:
            buttons.append(
                HeaderButton(
                    _("Roster of %(code)s") % {"code": edition.code},
                    url=reverse(self.roster_url_name, args=[edition.pk]),
                    icon_name="list-ul",
                )
            )
        return buttons


class EnrolmentInspectView(LocalTimeInspectMixin, generic.InspectView):
    any_permission_required = LOOK
    template_name = "enrolment/enrolment_inspect.html"
    history_url_name = None
    roster_url_name = None
    action_url_names: dict[str, str] = {}

    def get_object(self, queryset=None):
        return get_object_or_404(
            enrolments_for_admin().select_related("sponsored_by", "moved_to__edition"),
            pk=self.pk,
        )

    def get_page_title(self):
        return _("Enrolment of %(person)s") % {"person": self.object.trainee}

    def get_page_subtitle(self):
        return str(self.object.edition)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value

    def get_trainee_display_value(self):
        trainee = self.object.trainee
        return f"{trainee} · {trainee.email}"

    def get_moved_to_display_value(self):
        moved_to = self.object.moved_to
        return moved_to.edition.code if moved_to else ""

    def available_actions(self) -> list[dict]:
        enrolment = self.object
        if not self.user_has_permission(ACT) or not enrolment.is_active:
            return []
        names = ["move", "cancel"]
        if not selectors.enrolments_with_progress([enrolment])[0].can_cancel:
            names = ["move"]  # the edition has ended (enrolment_cancel refuses)
        if enrolment.status == EnrolmentStatus.PENDING_APPROVAL:
            names = ["approve", "reject", *names]
        return [
            {
                "name": name,
                "label": ACTION_LABELS[name],
                "url": reverse(self.action_url_names[name], args=[enrolment.pk]),
            }
            for name in names
        ]

    @cached_property
    def header_more_buttons(self):
        return [
            Button(
                _("History"),
                url=reverse(self.history_url_name, args=[self.object.pk]),
                icon_name="history",
                priority=10,
            ),
            Button(
                _("Edition roster"),
                url=reverse(self.roster_url_name, args=[self.object.edition_id]),
                icon_name="list-ul",
                priority=20,
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = selectors.enrolment_history(enrolment=self.object)
        context["actions"] = self.available_actions()
        context["roster_url"] = reverse(
            self.roster_url_name, args=[self.object.edition_id]
        )
        return context


class EnrolmentHistoryView(generic.HistoryView):
    """Wagtail's history of the enrolment: its makers.enrolment.<status> entries."""

    any_permission_required = ["view", "add", "change", "delete"]
    inspect_url_name = None

    def get_edit_url(self, instance):
        return reverse(self.inspect_url_name, args=[instance.pk])

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Inspect"),
                url=self.get_edit_url(self.object),
                icon_name="info-circle",
            )
        ]


_position_label = capfirst(Enrolment._meta.get_field("waitlist_position").verbose_name)


class EnrolmentViewSet(ModelViewSet):
    """Enrolments in the Wagtail admin. No add, edit, copy or delete views: an
    enrolment changes only through the actions, which call the services."""

    pk_path_converter = "id"  # core.converters: ids a row can have

    model = Enrolment
    icon = "group"
    menu_label = gettext_lazy("Enrolments")
    menu_order = 210
    add_to_admin_menu = True
    url_prefix = "enrolments"
    name = "enrolments"

    index_view_class = EnrolmentIndexView
    inspect_view_class = EnrolmentInspectView
    history_view_class = EnrolmentHistoryView
    inspect_view_enabled = True
    inspect_view_fields = [
        "trainee",
        "edition",
        "status",
        "waitlist_position",
        "offer_expires_at",
        "sponsor_company",
        "sponsored_by",
        "moved_to",
        "reason",
        "created_at",
    ]
    copy_view_enabled = False

    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    filterset_class = EnrolmentFilterSet
    search_backend_name = None  # EnrolmentIndexView.search_queryset: indexed
    search_fields = [
        "trainee__first_name",
        "trainee__last_name",
        "trainee__email",
        "edition__code",
    ]
    list_display = [
        "trainee",
        PlainColumn(
            "email", label=gettext_lazy("Email address"), accessor="trainee.email"
        ),
        PlainColumn("edition", label=gettext_lazy("Edition"), sort_key="edition__code"),
        PlainColumn(
            "status",
            label=gettext_lazy("Status"),
            accessor="get_status_display",
            sort_key="status",
        ),
        PlainColumn("waitlist_position", label=_position_label),
        DateColumn("created_at", label=gettext_lazy("Created"), sort_key="created_at"),
    ]

    action_views = {
        "approve": EnrolmentApproveView,
        "reject": EnrolmentRejectView,
        "cancel": EnrolmentCancelView,
        "move": EnrolmentMoveView,
    }

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "copy", "usage"):
            view_kwargs[f"{name}_url_name"] = None
        view_kwargs.update(
            inspect_url_name=self.get_url_name("inspect"),
            roster_url_name=self.get_url_name("roster"),
            export_url_name=self.get_url_name("export"),
            action_url_names={
                name: self.get_url_name(name) for name in self.action_views
            },
        )
        return view_kwargs

    @cached_property
    def url_finder_class(self):
        # Links from the site history and elsewhere go to the inspect view.
        return type(
            "EnrolmentAdminURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )

    def get_urlpatterns(self):
        urlpatterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(
                "editions/autocomplete/",
                self.construct_view(EditionAutocompleteView),
                name="edition_autocomplete",
            ),
            path("inspect/<id:pk>/", self.inspect_view, name="inspect"),
            path("history/<id:pk>/", self.history_view, name="history"),
            path(
                "history-results/<id:pk>/",
                self.history_results_view,
                name="history_results",
            ),
        ]
        for name, view_class in self.action_views.items():
            urlpatterns.append(
                path(f"{name}/<id:pk>/", self.construct_view(view_class), name=name)
            )
        return urlpatterns + [
            path(
                "edition/<id:edition_pk>/",
                self.construct_view(EditionRosterView),
                name="roster",
            ),
            path(
                "edition/<id:edition_pk>/export/<str:fmt>/",
                self.construct_view(EditionExportView),
                name="export",
            ),
        ]
