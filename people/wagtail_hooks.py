"""Companies in the Wagtail admin: a snippet listing with filters and search, the
edit form with the company's members, and an inspect view. Verification (who and
when) is shown, not edited here: it will be a service with its own action."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, Panel
from wagtail.admin.ui.tables import BooleanColumn, DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Company


class CompanyMembersPanel(Panel):
    """The company's members and managers, read only."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "people/company_members_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["members"] = (
                self.instance.members.select_related("user").order_by(
                    "-is_manager", "user__last_name", "user__email"
                )
                if self.instance.pk
                else []
            )
            return context


class CompanyFilterSet(WagtailFilterSet):
    verified = django_filters.BooleanFilter(
        label=_("Verified"),
        field_name="verified_at",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Company
        fields = ["verified", "province"]


class CompanyViewSet(SnippetViewSet):
    model = Company
    icon = "site"
    menu_order = 220
    add_to_admin_menu = True
    list_display = [
        "name",
        "partita_iva",
        "city",
        BooleanColumn("is_verified", label=_("Verified"), sort_key="verified_at"),
        DateColumn("verified_at", label=_("Verified at"), sort_key="verified_at"),
    ]
    filterset_class = CompanyFilterSet
    # Plain database search: a partita IVA is matched as typed, digits and all.
    search_backend_name = None
    search_fields = ["name", "partita_iva", "city"]
    ordering = ["name"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "partita_iva",
        "city",
        "province",
        "website",
        "verified_at",
        "verified_by",
        "created_at",
    ]
    panels = [
        FieldPanel("name"),
        FieldPanel("partita_iva"),
        FieldPanel("city"),
        FieldPanel("province"),
        FieldPanel("website"),
        FieldPanel("verified_at", read_only=True),
        FieldPanel("verified_by", read_only=True),
        CompanyMembersPanel(heading=_("Members")),
    ]


register_snippet(CompanyViewSet)


@hooks.register("register_log_actions")
def register_people_log_actions(actions):
    """Audit actions of the people app (core.audit)."""
    actions.register_action(
        "makers.calendar_feed.reset",
        _("Calendar feed: link reset"),
        _("Calendar feed link reset"),
    )
