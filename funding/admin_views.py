"""The staff side of funding in the Wagtail admin: the create and edit views of
place funding and voucher spendings save through the funding services (a
refusal is a form error, nothing is saved), and a funding line's figures with
their XLSX/CSV exports. Checked by the FundingLine model's permission policy."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import CreateView, EditView

from . import selectors
from .exceptions import FundingError
from .exports import report_download
from .models import FundingLine
from .services import place_funding_save, voucher_spending_save

line_policy = ModelPermissionPolicy(FundingLine)
LOOK = ["view", "change"]


class ServiceSaveMixin:
    """save_instance() goes through `service`, inside the view's transaction;
    a FundingError or ValidationError becomes a form error and rolls back."""

    service = None
    instance_kwarg = ""

    def save_instance(self):
        return type(self).service(
            **{self.instance_kwarg: self.form.instance},
            actor=self.request.user,
            save=super().save_instance,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except FundingError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        self.produced_error_code = "validation_error"
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)


class PlaceFundingCreateView(ServiceSaveMixin, CreateView):
    service = staticmethod(place_funding_save)
    instance_kwarg = "place"


class PlaceFundingEditView(ServiceSaveMixin, EditView):
    service = staticmethod(place_funding_save)
    instance_kwarg = "place"


class SpendingCreateView(ServiceSaveMixin, CreateView):
    service = staticmethod(voucher_spending_save)
    instance_kwarg = "spending"


class SpendingEditView(ServiceSaveMixin, EditView):
    service = staticmethod(voucher_spending_save)
    instance_kwarg = "spending"


class LineMixin(PermissionCheckedMixin):
    permission_policy = line_policy
    any_permission_required = LOOK

    @cached_property
    def line(self) -> FundingLine:
        return get_object_or_404(selectors.funding_lines(), pk=self.kwargs["pk"])


class LineReportView(LineMixin, WagtailAdminTemplateMixin, TemplateView):
    """A funding line's places: hours delivered and attended per trainee,
    amounts by payer, totals; buttons to export them."""

    template_name = "funding/admin/line_report.html"
    header_icon = "tag"
    index_url_name = None
    export_url_name = None

    def get_page_title(self):
        return _("Funding figures")

    def get_page_subtitle(self):
        return str(self.line)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Funding lines")},
            {"url": "", "label": str(self.line)},
        ]

    @cached_property
    def header_more_buttons(self):
        return [
            Button(
                label,
                url=reverse(self.export_url_name, args=[self.line.pk, fmt]),
                icon_name="download",
                priority=priority,
            )
            for priority, (fmt, label) in enumerate(
                [("xlsx", _("Export (XLSX)")), ("csv", _("Export (CSV)"))], start=10
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = selectors.funding_line_report(line=self.line)
        context.update(line=self.line, report=report)
        return context


class LineExportView(LineMixin, View):
    def get(self, request, pk: int, fmt: str):
        report = selectors.funding_line_report(line=self.line)
        name = f"{self.line.edition.code}-funding-{self.line.pk}"
        return report_download([report], name=name, fmt=fmt)
