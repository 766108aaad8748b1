"""The staff's funder export of an edition and its sign-in sheet scans, from
the edition's register in the Wagtail admin (issue 26). Checked by the
register's permission policy (attendance.viewsets.policy)."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import View
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from courses.admin_views import EditionMixin

from .funder_export import funder_export
from .models import AttendanceRecord, RegisterScan
from .selectors import edition_hours_attended
from .teaching_views import scan_response

LOOK = ["view", "change"]


class FunderExportView(EditionMixin, PermissionCheckedMixin, View):
    """One ZIP: the register (PDF/A-2b), the scans, the hours workbook."""

    model = AttendanceRecord
    any_permission_required = LOOK

    def get(self, request, *args, **kwargs):
        filename, mimetype, content = funder_export(
            hours=edition_hours_attended(edition=self.edition),
            school_name=settings.MAKERS_SCHOOL_NAME,
            school_address=settings.MAKERS_SCHOOL_ADDRESS,
        )
        response = HttpResponse(content, content_type=mimetype)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response


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
