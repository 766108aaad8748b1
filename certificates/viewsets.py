"""Staff screens for certificates on Wagtail's generic views.

A listing (filters, search, pagination), an inspect view with the audit trail,
revoke and re-issue actions with a reason and a confirmation page, and per
edition (certificates.edition_views): who is eligible and why not, issue one,
issue all eligible in the background with a progress bar (htmx polling a run
row, so a reload keeps it), resume a stalled run, and all PDFs of the edition
as one streamed ZIP.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from core.admin_ui import LocalTimeInspectMixin
from core.admin_views import ConfirmWithReasonView
from core.audit import audit_entries
from courses.models import CourseEdition

from . import services
from .edition_views import (
    ACT,
    LOOK,
    EditionCertificatesView,
    EditionCredentialsZipView,
    EditionZipView,
    RunProgressView,
)
from .exceptions import CertificateError
from .models import Certificate, CertificateKind, CertificateStatus


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=CertificateStatus.choices
    )
    edition_code = django_filters.CharFilter(
        label=gettext_lazy("Edition code"), lookup_expr="iexact"
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"), choices=CertificateKind.choices
    )
    issued_on = django_filters.DateFromToRangeFilter(label=gettext_lazy("Issued"))

    class Meta:
        model = Certificate
        fields = ["status", "kind", "edition_code", "issued_on"]


class CertificateIndexView(generic.IndexView):
    any_permission_required = LOOK


class CertificateInspectView(LocalTimeInspectMixin, generic.InspectView):
    any_permission_required = LOOK
    template_name = "certificates/admin/certificate_inspect.html"
    action_url_names: dict[str, str] = {}

    def get_object(self, queryset=None):
        return get_object_or_404(
            Certificate.objects.select_related("replaces", "replaced_by", "holder"),
            pk=self.pk,
        )

    def get_competencies_display_value(self):
        return "; ".join(
            f"{c.get('code')} {c.get('title')} (EQF {c.get('eqf_level')})"
            for c in self.object.competencies
        )

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        actions = []
        if self.user_has_permission(ACT):
            if certificate.status == CertificateStatus.VALID:
                actions.append(("revoke", _("Revoke")))
            if (
                certificate.status != CertificateStatus.SUPERSEDED
                and certificate.enrolment_id
            ):
                actions.append(("reissue", _("Re-issue")))
        context.update(
            history=audit_entries(instance=certificate, prefix="makers.certificate."),
            actions=[
                {
                    "label": label,
                    "url": reverse(self.action_url_names[name], args=[certificate.pk]),
                }
                for name, label in actions
            ],
            download_url=reverse("certificates:download", args=[certificate.pk]),
            verify_url=services.verification_path(code=certificate.verification_code),
        )
        return context


class CertificateActionView(ConfirmWithReasonView):
    """GET: what will happen and the reason form; POST: the service. A refusal
    comes back as an error message, never a 500."""

    model = Certificate
    permission_required = ACT
    header_icon = "doc-full"
    inspect_url_name = None
    refusals = (CertificateError,)
    refusal_as_message = True
    reason_max_length = 1000
    reason_help_text = gettext_lazy("Shown on the public verification page.")
    back_label = gettext_lazy("Cancel")
    destructive = True

    def get_page_subtitle(self):
        return f"{self.object.serial} · {self.object.holder_full_name}"

    def get_back_url(self) -> str:
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_success_url(self, result: Certificate) -> str:
        return reverse(self.inspect_url_name, args=[result.pk])

    def get_success_message(self, result: Certificate) -> str:
        return _("Done: %(serial)s is %(status)s.") % {
            "serial": result.serial,
            "status": result.get_status_display().lower(),
        }


class CertificateRevokeView(CertificateActionView):
    submit_label = gettext_lazy("Revoke")
    confirmation = gettext_lazy(
        "The certificate is revoked at once: its verification page says so, with "
        "the date and this reason, to anyone who checks it."
    )

    def perform(self, form) -> Certificate:
        return services.certificate_revoke(
            certificate=self.object,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )


class CertificateReissueView(CertificateActionView):
    submit_label = gettext_lazy("Re-issue")
    confirmation = gettext_lazy(
        "A new certificate with a new serial number is issued from today's data "
        "(after your corrections); this one shows as superseded by it."
    )

    def perform(self, form) -> Certificate:
        return services.certificate_reissue(
            certificate=self.object,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )


class CertificateViewSet(ModelViewSet):
    """Certificates in the Wagtail admin: no add or edit views, they are made and
    changed only by the services (issue from the edition page, revoke, re-issue)."""

    pk_path_converter = "id"  # core.converters: ids a row can have

    model = Certificate
    icon = "doc-full"
    menu_label = gettext_lazy("Certificates")
    menu_order = 220
    add_to_admin_menu = True
    url_prefix = "certificates"
    name = "certificates_admin"  # "certificates" is the public pages' namespace

    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "serial",
        "kind",
        "status",
        "holder_given_name",
        "holder_family_name",
        "course_code",
        "course_title",
        "edition_code",
        "edition_start",
        "edition_end",
        "hours",
        "attendance_percent",
        "competencies",
        "issuer_name",
        "issuer_accreditation",
        "place_of_issue",
        "issued_at",
        "issued_by",
        "valid_until",
        "revoked_at",
        "revoked_reason",
        "replaces",
        "pdf_sha256",
    ]
    copy_view_enabled = False
    list_per_page = 50
    ordering = ["-issued_at", "-pk"]
    filterset_class = CertificateFilterSet
    search_backend_name = None
    search_fields = [
        "serial",
        "holder_given_name",
        "holder_family_name",
        "course_code",
        "edition_code",
    ]
    list_display = [
        "serial",
        Column("holder", label=gettext_lazy("Holder"), accessor="holder_full_name"),
        Column("edition_code", label=gettext_lazy("Edition"), sort_key="edition_code"),
        Column(
            "status",
            label=gettext_lazy("Status"),
            accessor="get_status_display",
            sort_key="status",
        ),
        # The instant of issue: a date alone read as its midnight ("issued 4
        # hours ago" for a certificate issued minutes earlier).
        DateColumn("issued_at", label=gettext_lazy("Issued"), sort_key="issued_at"),
    ]

    action_views = {"revoke": CertificateRevokeView, "reissue": CertificateReissueView}

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "copy", "usage", "history"):
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    @cached_property
    def url_finder_class(self):
        return type(
            "CertificateAdminURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )

    @property
    def url_names(self) -> dict[str, str]:
        return {
            name: self.get_url_name(name)
            for name in (
                "inspect",
                "edition",
                "progress",
                "zip",
                "credentials_zip",
                *self.action_views,
            )
        }

    def get_urlpatterns(self):
        urlpatterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(
                "inspect/<id:pk>/",
                self.construct_view(
                    self.inspect_view_class,
                    **self.get_inspect_view_kwargs(),
                    action_url_names=self.url_names,
                ),
                name="inspect",
            ),
        ]
        for name, view_class in self.action_views.items():
            urlpatterns.append(
                path(
                    f"{name}/<id:pk>/",
                    self.construct_view(
                        view_class, inspect_url_name=self.get_url_name("inspect")
                    ),
                    name=name,
                )
            )
        return urlpatterns + [
            path(
                "edition/<id:edition_pk>/",
                self.construct_view(EditionCertificatesView, url_names=self.url_names),
                name="edition",
            ),
            path(
                "edition/<id:edition_pk>/run/<id:run_pk>/",
                self.construct_view(RunProgressView),
                name="progress",
            ),
            path(
                "edition/<id:edition_pk>/zip/",
                self.construct_view(EditionZipView),
                name="zip",
            ),
            path(
                "edition/<id:edition_pk>/credentials-zip/",
                self.construct_view(EditionCredentialsZipView),
                name="credentials_zip",
            ),
        ]


def edition_button(*, edition: CourseEdition, url_name: str) -> Button:
    return Button(
        _("Certificates"),
        url=reverse(url_name, args=[edition.pk]),
        icon_name="doc-full",
        priority=16,
    )
