"""A company manager's view of how the company's employees' places are
funded, under /me/company/funding/: the same figures staff see, for the
company's employees only, and their XLSX/CSV exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from enrolment.selectors import companies_managed
from people.models import Company

from . import selectors
from .exports import report_download


def _company(request: HttpRequest) -> tuple[list[Company], Company]:
    """The companies the person manages and the one asked for (?company=);
    someone who manages none, or asks for another company, gets a 404."""
    companies = companies_managed(user=request.user)
    if not companies:
        raise Http404
    wanted = request.GET.get("company")
    if not wanted:
        return companies, companies[0]
    chosen = next((c for c in companies if str(c.pk) == wanted), None)
    if chosen is None:
        raise Http404
    return companies, chosen


@login_required
def company_funding(request: HttpRequest) -> HttpResponse:
    """Per funding line: the employees' places, hours delivered and attended,
    amounts by payer; the company's vouchers with what is left."""
    companies, chosen = _company(request)
    context = {
        "companies": companies,
        "chosen": chosen,
        "reports": selectors.company_funding_reports(company=chosen),
        "vouchers": list(selectors.company_vouchers(company=chosen)),
    }
    return TemplateResponse(request, "funding/company_funding.html", context)


@login_required
def company_funding_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _, chosen = _company(request)
    reports = selectors.company_funding_reports(company=chosen)
    return report_download(reports, name=f"funding-company-{chosen.pk}", fmt=fmt)
