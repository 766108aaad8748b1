"""The owner's pages of a prepared file (core.prepared_files): its download
page (being prepared, ready, failed), on the site or, for staff exports, in the
Wagtail admin, and the download itself from the private storage.

Only the owner sees a file: anyone else gets a 404 (not even its existence),
someone signed out the sign-in page.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .exports import ADMIN_PAGE_URL_NAME, export_kind, prepared_file_page
from .models import PreparedFile
from .prepared_files import prepared_file_open, prepared_file_retry

# While a file is being prepared its page reloads itself this often.
REFRESH_SECONDS = 5


def _owned(request: HttpRequest, public_id) -> PreparedFile:
    return get_object_or_404(PreparedFile, public_id=public_id, owner=request.user)


def _context(prepared: PreparedFile) -> dict:
    return {
        "prepared": prepared,
        "title": export_kind(prepared.kind).title,
        "refresh_seconds": REFRESH_SECONDS,
        "download_url": reverse(
            "downloads:prepared_file_download", args=[prepared.public_id]
        ),
    }


def _retry(request: HttpRequest, public_id) -> HttpResponse:
    """Queue a failed file again ("try again"), back to its page."""
    prepared = prepared_file_retry(prepared=_owned(request, public_id), request=request)
    return redirect(prepared_file_page(prepared))


@login_required
def prepared_file(request: HttpRequest, public_id) -> HttpResponse:
    """The file's page on the site: its status, then the download link."""
    if request.method == "POST":
        return _retry(request, public_id)
    context = _context(_owned(request, public_id))
    return TemplateResponse(request, "core/prepared_file.html", context)


@login_required
def prepared_file_download(request: HttpRequest, public_id) -> HttpResponse:
    """The ready file, streamed from the private storage; audited."""
    prepared = _owned(request, public_id)
    opened = prepared_file_open(prepared=prepared, request=request)
    if opened is None:
        raise Http404
    return FileResponse(
        opened,
        as_attachment=True,
        filename=prepared.filename,
        content_type=prepared.content_type or "application/octet-stream",
    )


class PreparedFileAdminView(WagtailAdminTemplateMixin, TemplateView):
    """The file's page inside the Wagtail admin (staff exports)."""

    page_title = _("Download")
    header_icon = "download"
    template_name = "core/admin/prepared_file.html"

    def get_page_subtitle(self):
        return export_kind(self.prepared.kind).title

    def dispatch(self, request, *args, **kwargs):
        self.prepared = _owned(request, kwargs["public_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_context(self.prepared)}

    def post(self, request, *args, **kwargs):
        return _retry(request, kwargs["public_id"])


def prepared_file_admin_urls() -> list:
    """For the register_admin_urls hook."""
    return [
        path(
            "downloads/<uuid:public_id>/",
            PreparedFileAdminView.as_view(),
            name=ADMIN_PAGE_URL_NAME,
        )
    ]
