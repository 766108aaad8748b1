"""The staff reports in the Wagtail admin (Reports menu): filters, a chart
and the same figures as a table, and the table as XLSX or CSV. Readable
with insights.view_reports only (the Staff role), never by is_staff alone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .exports import FORMATS, report_download
from .forms import ReportFilterForm
from .presentation import figures_chart
from .registry import REPORTS
from .selectors import ReportFilters

PERMISSION = "insights.view_reports"


def reports_viewable(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "insights/admin/report.html"
    header_icon = "table"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not reports_viewable(request.user):
            # A plain 403, not Wagtail's redirect to the dashboard.
            return permission_denied(request, PermissionDenied())
        self.report = REPORTS.get(kwargs["slug"])
        if self.report is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(self.report.title)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def _filters(self, form: ReportFilterForm) -> ReportFilters:
        if not self.request.GET:
            return ReportFilters()
        if form.is_valid():
            return form.report_filters()
        messages.error(
            self.request,
            _("Some filters are not valid; the report shows the default period."),
        )
        return ReportFilters()

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = ReportFilterForm(request.GET or None, report=self.report)
        filters = self._filters(form)
        figures = self.report.figures(filters)
        fmt = request.GET.get("format")
        if fmt in FORMATS:
            return report_download(slug=self.report.slug, figures=figures, fmt=fmt)
        start, end = filters.period()
        context = self.get_context_data(
            form=form,
            figures=figures,
            chart=figures_chart(title=str(self.report.title), figures=figures),
            start=start,
            end=end,
            export_query=_query_without_format(request),
        )
        return self.render_to_response(context)


def _query_without_format(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    return query.urlencode()
