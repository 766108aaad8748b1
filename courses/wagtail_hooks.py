import django_filters
from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.admin_ui import YesNoColumn

from .admin_views import EditionActionView, EditionEditView
from .forms import EditionAdminForm
from .models import Competency, CourseEdition, EditionStatus, Venue


class CompetencyViewSet(SnippetViewSet):
    pk_path_converter = "id"  # core.converters: ids a row can have
    model = Competency
    icon = "tick-inverse"
    menu_label = _("Competencies")
    list_display = ["code", "title", "eqf_level", "ada_code", "esco_uri"]
    list_filter = ["eqf_level"]
    search_fields = ["code", "title", "title_en"]
    ordering = ["code"]


class VenueViewSet(SnippetViewSet):
    pk_path_converter = "id"  # core.converters: ids a row can have
    model = Venue
    icon = "site"
    menu_label = _("Venues")
    list_display = ["name", "address", "city"]
    search_fields = ["name", "address", "city"]


class CourseEditionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=EditionStatus.choices
    )
    requires_approval = django_filters.BooleanFilter(label=_("Needs approval"))

    class Meta:
        model = CourseEdition
        fields = ["status", "venue", "requires_approval"]


class CourseEditionViewSet(SnippetViewSet):
    pk_path_converter = "id"  # core.converters: ids a row can have
    model = CourseEdition
    edit_view_class = EditionEditView
    # The inline sessions' instructors are checked by the edition services.
    edit_handler = ObjectList(CourseEdition.panels, base_form_class=EditionAdminForm)
    icon = "date"
    menu_label = _("Editions")
    list_display = [
        "code",
        "course",
        "status",
        "capacity",
        "seats_taken",
        "venue",
        YesNoColumn("requires_approval", label=_("Approval")),
    ]
    filterset_class = CourseEditionFilterSet
    # Plain database search, so the course title can be searched across the join.
    search_backend_name = None
    search_fields = ["code", "course__title"]
    ordering = ["-enrolment_opens_at"]

    def get_queryset(self, request):
        return CourseEdition.objects.select_related("course", "venue")


class CatalogueGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "doc-full-inverse"
    menu_order = 200
    items = (CourseEditionViewSet, CompetencyViewSet, VenueViewSet)


register_snippet(CatalogueGroup)


@hooks.register("register_admin_urls")
def register_edition_action_urls():
    return [
        path(
            "courses/editions/<id:pk>/<str:action>/",
            EditionActionView.as_view(),
            name="courses_edition_action",
        )
    ]


EDITION_ACTIONS = {
    "opened": _("opened for enrolment"),
    "cancelled": _("cancelled"),
    "completed": _("completed"),
    "reopened": _("reopened"),
    "capacity_changed": _("capacity changed"),
}


@hooks.register("register_log_actions")
def register_edition_log_actions(actions):
    """The audit actions of the edition services (core.audit)."""
    for name, what in EDITION_ACTIONS.items():
        label = format_lazy("{}: {}", _("Edition"), what)
        actions.register_action(f"makers.edition.{name}", label, label)
