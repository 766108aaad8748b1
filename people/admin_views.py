"""Staff verify a company in the Wagtail admin: a confirmation page
(core.admin_views), then the service (people.services.company_verify), which
writes the audit entry."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.permission_policies import ModelPermissionPolicy

from core.admin_views import NO_REASON, ConfirmWithReasonView

from . import services
from .exceptions import PeopleError
from .models import Company


def verify_url(company: Company) -> str:
    return reverse("people_company_verify", args=[company.pk])


class CompanyVerifyView(ConfirmWithReasonView):
    """Confirm that the company is genuine: its members may then search the
    graduate directory."""

    model = Company
    permission_policy = ModelPermissionPolicy(Company)
    template_name = "people/admin/company_verify.html"
    header_icon = "site"
    reason = NO_REASON
    refusals = (PeopleError,)
    page_title = gettext_lazy("Verify company")
    submit_label = gettext_lazy("Verify company")
    back_label = gettext_lazy("Back to the company")
    confirmation = gettext_lazy(
        "Once verified, the company's members can search the graduate directory "
        "and ask graduates for contact. Check the partita IVA and the company's "
        "details before confirming."
    )

    def get_back_url(self) -> str:
        return reverse(
            Company.snippet_viewset.get_url_name("edit"), args=[self.object.pk]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            members=self.object.members.select_related("user"), **kwargs
        )

    def perform(self, form) -> Company:
        return services.company_verify(company=self.object, by=self.request.user)

    def get_success_message(self, result: Company) -> str:
        return _("%(company)s is verified.") % {"company": result}
