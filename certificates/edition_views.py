"""The Wagtail admin screens of one edition's certificates: who is eligible and
why, issuing one or all (the bulk run and its progress), the ZIP of the PDFs
and the ZIP of every form (PDF, Open Badge JWT and JSON-LD, Europass).
Registered by CertificateViewSet (certificates.viewsets)."""

import json
import zipfile

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from courses.admin_views import EditionMixin
from enrolment.models import Enrolment

from . import selectors, services
from .credentials.openbadge import openbadge_build, openbadge_jwt
from .europass import europass_sealed
from .exceptions import CertificateError
from .models import Certificate, CertificateKind, IssueRun

LOOK = ["view", "change"]
ACT = "change"


class EditionCertificatesView(
    EditionMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Per confirmed trainee: eligible or not and why; issue one, issue all."""

    model = Certificate
    any_permission_required = LOOK
    template_name = "certificates/admin/edition_certificates.html"
    header_icon = "doc-full"
    url_names: dict[str, str] = {}

    def get_page_title(self):
        return _("Certificates of %(code)s") % {"code": self.edition.code}

    def get_page_subtitle(self):
        return self.edition.course.title

    def get_breadcrumbs_items(self):
        # Without them the slim header shows only "Home": the edition's code
        # and course would be in a hidden h1 only.
        return self.breadcrumbs_items + [
            {"url": reverse("certificates_admin:index"), "label": _("Certificates")},
            {
                "url": "",
                "label": self.get_page_title(),
                "sublabel": self.get_page_subtitle(),
            },
        ]

    def post(self, request, *args, **kwargs):
        if not self.user_has_permission(ACT):
            messages.error(request, _("You may not issue certificates."))
            return redirect(request.path)
        try:
            if request.POST.get("action") == "issue_all":
                services.run_start(edition=self.edition, actor=request.user)
                messages.success(request, _("Issuing started in the background."))
            elif request.POST.get("action") == "resume":
                run = get_object_or_404(
                    IssueRun, pk=request.POST.get("run"), edition=self.edition
                )
                services.run_resume(run=run, actor=request.user)
                messages.success(request, _("The run is resumed."))
            else:
                enrolment = get_object_or_404(
                    Enrolment, pk=request.POST.get("enrolment"), edition=self.edition
                )
                kind = request.POST.get("kind") or CertificateKind.COMPETENCY
                if kind not in CertificateKind.values:
                    raise CertificateError(_("Unknown kind of certificate."))
                certificate = services.certificate_issue(
                    enrolment=enrolment, actor=request.user, kind=kind
                )
                messages.success(
                    request,
                    _("Certificate %(serial)s issued.")
                    % {"serial": certificate.serial},
                )
        except CertificateError as error:
            messages.error(request, str(error))
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = selectors.edition_last_run(edition=self.edition)
        context.update(
            edition=self.edition,
            # Per trainee: (certificate of competence, certificate of attendance).
            rows=zip(
                selectors.edition_eligibility(edition=self.edition),
                selectors.edition_eligibility(
                    edition=self.edition, kind=CertificateKind.ATTENDANCE
                ),
                strict=True,
            ),
            can_act=self.user_has_permission(ACT),
            progress=selectors.run_progress(run=run) if run else None,
            progress_url=(
                reverse(self.url_names["progress"], args=[self.edition.pk, run.pk])
                if run
                else ""
            ),
            zip_url=reverse(self.url_names["zip"], args=[self.edition.pk]),
            credentials_zip_url=reverse(
                self.url_names["credentials_zip"], args=[self.edition.pk]
            ),
            edition_url=self.request.path,
            inspect_url_name=self.url_names["inspect"],
        )
        return context


class RunProgressView(EditionMixin, PermissionCheckedMixin, View):
    """The progress bar, for htmx to poll while the run is running."""

    model = Certificate
    any_permission_required = LOOK

    def get(self, request, *args, run_pk: int, **kwargs):
        run = get_object_or_404(IssueRun, pk=run_pk, edition=self.edition)
        return TemplateResponse(
            request,
            "certificates/admin/run_progress.html",
            {
                "progress": selectors.run_progress(run=run),
                "progress_url": request.path,
                "edition_url": reverse(
                    "certificates_admin:edition", args=[self.edition.pk]
                ),
            },
        )


class _Chunks:
    """A write-only file that hands zipfile's output on as chunks."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks = []
        return data


def credential_files(certificate: Certificate) -> list[tuple[str, bytes]]:
    """The certificate's credentials as (file name, content): the Open Badge
    as a VC-JWT and as JSON-LD, the sealed Europass credential."""
    serial = certificate.serial
    badge = openbadge_build(certificate=certificate)
    return [
        (f"{serial}-openbadge.jwt", openbadge_jwt(certificate=certificate).encode()),
        (
            f"{serial}-openbadge.json",
            json.dumps(badge, ensure_ascii=False, indent=2).encode(),
        ),
        (f"{serial}-europass.jws", europass_sealed(certificate=certificate)),
    ]


def _pdf_entry(archive, sink, certificate, info):
    with certificate.pdf.open("rb") as source, archive.open(info, mode="w") as target:
        while block := source.read(64 * 1024):
            target.write(block)
            yield sink.take()


def zip_stream(certificates, *, credentials: bool = False):
    """Stream a ZIP of the certificates' PDFs (and, with `credentials`, of
    their other forms beside each), one file at a time, never the whole
    archive in memory (PDFs are stored compressed already)."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            moment = certificate.issued_at.timetuple()[:6]
            if certificate.pdf:
                info = zipfile.ZipInfo(f"{certificate.serial}.pdf", date_time=moment)
                yield from _pdf_entry(archive, sink, certificate, info)
            for name, content in credential_files(certificate) if credentials else []:
                info = zipfile.ZipInfo(name, date_time=moment)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content)
            yield sink.take()
    yield sink.take()


class EditionZipView(EditionMixin, PermissionCheckedMixin, View):
    """The edition's certificates as PDFs, one ZIP."""

    model = Certificate
    any_permission_required = LOOK
    credentials = False
    filename = "certificates-{code}.zip"

    def get(self, request, *args, **kwargs):
        certificates = selectors.edition_certificates(edition=self.edition)
        response = StreamingHttpResponse(
            zip_stream(certificates.iterator(), credentials=self.credentials),
            content_type="application/zip",
        )
        filename = self.filename.format(code=self.edition.code)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class EditionCredentialsZipView(EditionZipView):
    """The edition's certificates in every form (PDF, Open Badge VC-JWT and
    JSON-LD, Europass JWS), one ZIP; the same permission as the PDFs'."""

    credentials = True
    filename = "credentials-{code}.zip"
