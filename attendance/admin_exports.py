"""The staff's funder export of an edition and its sign-in sheet scans, from
the edition's register in the Wagtail admin (issue 26). Checked by the
register's permission policy (attendance.viewsets.policy).

The funder export ZIP is prepared on the reports queue (core.prepared_files):
the register's button asks for it here, the staff member follows it on its
download page in the admin."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from core.exports import PreparedFileError, prepared_file_page
from core.prepared_files import download_request
from courses.admin_views import EditionMixin
from courses.models import CourseEdition
from people.security import prepared_export_log

from .funder_export import funder_export
from .models import AttendanceRecord, RegisterScan
from .selectors import edition_hours_attended
from .teaching_views import scan_response

LOOK = ["view", "change"]
# The kind of prepared file (core.exports) of an edition's funder export.
FUNDER_EXPORT_KIND = "funder_export"


class FunderExportView(
    EditionMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """One ZIP: the register (PDF/A-2b), the scans, the hours workbook. GET
    asks to prepare it; POST queues it and opens its download page."""

    model = AttendanceRecord
    any_permission_required = LOOK
    page_title = gettext_lazy("Funder export (ZIP)")
    header_icon = "download"
    template_name = "attendance/funder_export_admin.html"

    def get_page_subtitle(self):
        return self.edition.code

    def post(self, request, *args, **kwargs):
        prepared = download_request(
            owner=request.user,
            kind=FUNDER_EXPORT_KIND,
            params={"edition_id": self.edition.pk},
            request=request,
        )
        return redirect(prepared_file_page(prepared))


def funder_export_audit(*, event: str, prepared, user, request) -> None:
    """The funder export's audit (core.exports): who asked for or downloaded
    an edition's register and hours, on the edition (its history, and the
    security events report), like the roster's export."""
    edition_id = prepared.params.get("edition_id")
    edition = CourseEdition.objects.filter(pk=edition_id).first()
    prepared_export_log(
        event=event,
        prepared=prepared,
        user=user,
        request=request,
        instance=edition or user,  # an edition deleted since: on the asker
        data={"edition": edition.code if edition else "", "edition_id": edition_id},
    )


def funder_export_file(*, owner, params: dict) -> tuple[str, str, bytes]:
    """The funder export's builder (core.exports): the register's permission
    checked again, for one who lost it since asking."""
    if not ModelPermissionPolicy(AttendanceRecord).user_has_any_permission(owner, LOOK):
        raise PreparedFileError(_("You may no longer see the registers."))
    edition = (
        CourseEdition.objects.select_related("course", "venue")
        .filter(pk=params.get("edition_id"))
        .first()
    )
    if edition is None:
        raise PreparedFileError(_("The edition no longer exists."))
    return funder_export(
        hours=edition_hours_attended(edition=edition),
        school_name=settings.MAKERS_SCHOOL_NAME,
        school_address=settings.MAKERS_SCHOOL_ADDRESS,
    )


class ScanDownloadView(EditionMixin, PermissionCheckedMixin, View):
    """One scan of the edition's sign-in sheets."""

    model = AttendanceRecord
    any_permission_required = LOOK

    def get(self, request, *args, scan_pk: int, **kwargs):
        scan = get_object_or_404(
            RegisterScan.objects.select_related("session__edition"),
            pk=scan_pk,
            session__edition=self.edition,
        )
        return scan_response(scan)
