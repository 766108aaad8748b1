"""/me/company/reports/: a company manager's own figures, their employees'
attendance and certificates only (insights.selectors with the company as
filter), as charts with the same figures in tables."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from enrolment import selectors as enrolment_selectors
from insights.presentation import figures_chart
from insights.selectors import ReportFilters, attendance_report, certificates_report

from .companies import company_chosen


@login_required
def company_reports(request: HttpRequest) -> HttpResponse:
    companies = enrolment_selectors.companies_managed(user=request.user)
    if not companies:
        raise Http404
    chosen = company_chosen(request, companies)
    filters = ReportFilters(company=chosen.pk)
    attendance = attendance_report(filters=filters)
    certificates = certificates_report(filters=filters)
    start, end = filters.period()
    sections = [
        (
            _("Attendance of your employees"),
            attendance,
            figures_chart(
                title=_("Attendance"), figures=attendance, ident="attendance-chart"
            ),
        ),
        (
            _("Certificates of your employees"),
            certificates,
            figures_chart(
                title=_("Certificates"),
                figures=certificates,
                ident="certificates-chart",
            ),
        ),
    ]
    context = {
        "companies": companies,
        "chosen": chosen,
        "sections": sections,
        "start": start,
        "end": end,
    }
    return TemplateResponse(request, "portal/company_reports.html", context)
