"""The person's own account pages beside allauth's (mounted under /accounts/)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .security import SESSIONS_ENDED, security_event_log
from .services import user_sessions_end


@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """Ask (GET), then end every session of the person, this one included (POST)."""
    if request.method == "POST":
        user = request.user
        ended = user_sessions_end(user=user)
        security_event_log(
            action=SESSIONS_ENDED, request=request, user=user, data={"sessions": ended}
        )
        logout(request)
        messages.success(
            request, _("You have been signed out on every device, this one included.")
        )
        return redirect("account_login")
    return TemplateResponse(request, "people/sign_out_everywhere.html")


def graduate_file_response(*, graduate, field: str) -> FileResponse:
    """A graduate's private CV (a PDF download) or photo, for a view that has
    already checked who may see it."""
    handle = getattr(graduate, field).open("rb")
    if field == "cv":
        return FileResponse(
            handle,
            content_type="application/pdf",
            filename="cv.pdf",
            as_attachment=True,
        )
    return FileResponse(handle, content_type="image/jpeg")
