"""Companies in the Wagtail admin: a snippet listing with filters and search, the
edit form with the company's members, and an inspect view. Verification (who and
when) is shown, not edited here: it will be a service with its own action."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, Panel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet

from core.admin_ui import LocalTimeInspectMixin, YesNoColumn

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


class CompanyInspectView(LocalTimeInspectMixin, InspectView):
    pass


class CompanyViewSet(SnippetViewSet):
    pk_path_converter = "id"  # core.converters: ids a row can have
    model = Company
    inspect_view_class = CompanyInspectView
    icon = "site"
    menu_order = 220
    add_to_admin_menu = True
    list_display = [
        "name",
        "partita_iva",
        "city",
        YesNoColumn("is_verified", label=_("Verified"), sort_key="verified_at"),
        Column(
            "verification_label",
            label=_("Verification"),
            accessor="verification_label",
            sort_key="verified_at",
        ),
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
        "ateco",
        "address",
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
        FieldPanel("ateco"),
        FieldPanel("address"),
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


# --- Company verification and graduate profiles (issue 10) ----------------------
# Appended as one block; the names it needs are imported here.

from django.urls import path  # noqa: E402
from wagtail.admin.widgets.button import Button  # noqa: E402

from .admin_views import CompanyVerifyView, verify_url  # noqa: E402


@hooks.register("register_admin_urls")
def register_company_verify_url():
    return [
        path(
            "people/companies/<id:pk>/verify/",
            CompanyVerifyView.as_view(),
            name="people_company_verify",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def company_verify_button(snippet, user, next_url=None):
    """An unverified company in the Companies listing offers "Verify"."""
    if not isinstance(snippet, Company) or snippet.is_verified:
        return []
    if not user.has_perm("people.change_company"):
        return []
    return [Button(_("Verify"), url=verify_url(snippet), icon_name="tick", priority=5)]


@hooks.register("register_log_actions")
def register_company_log_actions(actions):
    """Audit actions of companies and graduate profiles (core.audit)."""
    for name, label in {
        "makers.company.register": _("Company: registered"),
        "makers.company.verify": _("Company: verified"),
        "makers.company.invite": _("Company: colleague invited"),
        "makers.company.member_join": _("Company: colleague joined"),
        "makers.company.member_remove": _("Company: member removed"),
        "makers.company.directory_grant": _(
            "Company: graduate directory granted to a member"
        ),
        "makers.company.directory_revoke": _(
            "Company: graduate directory taken from a member"
        ),
        "makers.graduate_profile.update": _("Graduate profile: changed"),
        "makers.graduate_profile.publish": _("Graduate profile: turned on"),
        "makers.graduate_profile.unpublish": _("Graduate profile: turned off"),
        "makers.account.erase": _("Account: erased at the person's request"),
    }.items():
        actions.register_action(name, label, label)
