"""Staff verify a company in the Wagtail admin: a confirmation page, then the
service (people.services.company_verify), which writes the audit entry."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from . import services
from .exceptions import PeopleError
from .models import Company


def verify_url(company: Company) -> str:
    return reverse("people_company_verify", args=[company.pk])


class CompanyVerifyView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Confirm that the company is genuine: its members may then search the
    graduate directory."""

    permission_policy = ModelPermissionPolicy(Company)
    permission_required = "change"
    template_name = "people/admin/company_verify.html"
    header_icon = "site"
    form_class = forms.Form

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.company = get_object_or_404(Company, pk=kwargs["pk"])

    def get_page_title(self):
        return _("Verify company")

    def get_page_subtitle(self):
        return str(self.company)

    @property
    def edit_url(self) -> str:
        return reverse(
            Company.snippet_viewset.get_url_name("edit"), args=[self.company.pk]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            company=self.company,
            members=self.company.members.select_related("user"),
            edit_url=self.edit_url,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.company_verify(company=self.company, by=self.request.user)
        except PeopleError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(company)s is verified.") % {"company": self.company}
        )
        return redirect(self.edit_url)
