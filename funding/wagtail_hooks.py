"""What funding registers with Wagtail: the Funding menu (funding lines, place
funding, company vouchers and their spendings as snippets), a Figures button
on each funding line, the figures screen and its exports, and the audit
actions of the services (core.audit)."""

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views import (
    LOOK,
    LineExportView,
    LineReportView,
    PlaceFundingCreateView,
    PlaceFundingEditView,
    SpendingCreateView,
    SpendingEditView,
    line_policy,
)
from .forms import PlaceFundingForm, VoucherSpendingForm
from .models import (
    CompanyVoucher,
    FundingKind,
    FundingLine,
    PlaceFunding,
    VoucherSpending,
)
from .selectors import company_vouchers

FUNDING_LOG_ACTIONS = {
    "makers.funding.place_saved": _("Funding of a place recorded"),
    "makers.funding.voucher_spent": _("Company voucher spent"),
}


class FundingLineFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=FundingKind.choices)

    class Meta:
        model = FundingLine
        fields = ["kind", "edition"]


class FundingLineViewSet(SnippetViewSet):
    pk_path_converter = "id"
    model = FundingLine
    icon = "tag"
    menu_label = _("Funding lines")
    list_display = ["__str__", "kind", "funder", "cup", "funded_hours", "amount"]
    filterset_class = FundingLineFilterSet
    search_backend_name = None
    search_fields = ["edition__code", "funder", "call_code", "plan_code", "cup"]

    def get_queryset(self, request):
        return FundingLine.objects.select_related("edition")


class PlaceFundingViewSet(SnippetViewSet):
    pk_path_converter = "id"
    model = PlaceFunding
    add_view_class = PlaceFundingCreateView
    edit_view_class = PlaceFundingEditView
    edit_handler = ObjectList(
        [
            FieldPanel("enrolment"),
            FieldPanel("line"),
            FieldRowPanel(
                [
                    FieldPanel("company_share"),
                    FieldPanel("trainee_share"),
                    FieldPanel("fund_share"),
                ]
            ),
            FieldRowPanel(
                [
                    FieldPanel("voucher_number"),
                    FieldPanel("voucher_amount"),
                    FieldPanel("voucher_granted_on"),
                ]
            ),
            FieldPanel("isee_low"),
        ],
        base_form_class=PlaceFundingForm,
    )
    icon = "user"
    menu_label = _("Place funding")
    list_display = [
        "__str__",
        "company_share",
        "trainee_share",
        "fund_share",
        "voucher_amount",
        "voucher_granted_on",
    ]
    search_backend_name = None
    search_fields = [
        "enrolment__trainee__last_name",
        "enrolment__trainee__email",
        "voucher_number",
        "line__edition__code",
    ]

    def get_queryset(self, request):
        return PlaceFunding.objects.select_related(
            "enrolment__trainee", "line__edition"
        )


class CompanyVoucherViewSet(SnippetViewSet):
    pk_path_converter = "id"
    model = CompanyVoucher
    icon = "doc-full"
    menu_label = _("Company vouchers")
    list_display = [
        "reference",
        "company",
        "amount_granted",
        Column("spent", label=_("Spent (EUR)")),
        Column("left", label=_("Left (EUR)"), accessor="left"),
        "granted_on",
    ]
    search_backend_name = None
    search_fields = ["reference", "company__name"]

    def get_queryset(self, request):
        return company_vouchers()


class VoucherSpendingViewSet(SnippetViewSet):
    pk_path_converter = "id"
    model = VoucherSpending
    add_view_class = SpendingCreateView
    edit_view_class = SpendingEditView
    edit_handler = ObjectList(
        [
            FieldPanel("voucher"),
            FieldPanel("place"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("amount"), FieldPanel("spent_on")]),
        ],
        base_form_class=VoucherSpendingForm,
    )
    icon = "cog"
    menu_label = _("Voucher spendings")
    list_display = ["__str__", "place", "amount", "spent_on"]
    search_backend_name = None
    search_fields = ["voucher__reference", "description"]

    def get_queryset(self, request):
        return VoucherSpending.objects.select_related(
            "voucher", "place__trainee", "place__edition"
        )


class FundingGroup(SnippetViewSetGroup):
    menu_label = _("Funding")
    menu_icon = "tag"
    menu_order = 220
    items = (
        FundingLineViewSet,
        PlaceFundingViewSet,
        CompanyVoucherViewSet,
        VoucherSpendingViewSet,
    )


register_snippet(FundingGroup)


@hooks.register("register_admin_urls")
def register_funding_report_urls():
    # The snippet listing of funding lines (Wagtail names it by the model).
    index = "wagtailsnippets_funding_fundingline:list"
    return [
        path(
            "funding/lines/<id:pk>/figures/",
            LineReportView.as_view(
                index_url_name=index, export_url_name="funding_line_export"
            ),
            name="funding_line_report",
        ),
        path(
            "funding/lines/<id:pk>/export/<str:fmt>/",
            LineExportView.as_view(),
            name="funding_line_export",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def funding_line_figures_button(snippet, user, next_url=None):
    if not isinstance(snippet, FundingLine):
        return []
    if not line_policy.user_has_any_permission(user, LOOK):
        return []
    return [
        Button(
            _("Figures"),
            url=reverse("funding_line_report", args=[snippet.pk]),
            icon_name="table",
            priority=15,
        )
    ]


@hooks.register("register_log_actions")
def register_funding_log_actions(actions) -> None:
    for action, label in FUNDING_LOG_ACTIONS.items():
        actions.register_action(action, label, label)

    @actions.register_action("makers.funding.voucher_refused")
    class VoucherRefused(LogFormatter):
        label = _("Voucher refused")

        def format_message(self, log_entry):
            return _("Voucher %(number)s refused: %(reason)s") % {
                "number": log_entry.data.get("number", ""),
                "reason": log_entry.data.get("reason", ""),
            }
