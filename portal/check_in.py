"""The trainee's self check-in page behind a session's rotating QR code
(/me/check-in/...): a signed-in trainee confirms and is marked present, from
their own device (a random ID in a signed, long-lived cookie). Thin: the rules
are attendance.services.attendance_check_in's."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from attendance import selectors as attendance
from attendance import services as attendance_services
from attendance.exceptions import AttendanceError
from courses.selectors import editions_localize

# The browser's check-in device: a random ID in a signed, long-lived cookie,
# stored with each self check-in (one device per trainee and session).
DEVICE_COOKIE = "makers_check_in_device"
DEVICE_COOKIE_SALT = "makers.attendance.device"
DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600


def _device(request: HttpRequest) -> tuple[str, bool]:
    """The browser's device ID, and whether it is new (to be set)."""
    device = request.get_signed_cookie(
        DEVICE_COOKIE, default="", salt=DEVICE_COOKIE_SALT
    )
    if device:
        return device, False
    return secrets.token_urlsafe(24), True


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, session_pk: int, token: str) -> HttpResponse:
    """Behind the QR code: a signed-in trainee confirms (POST) and is marked.
    Opened again once checked in, it says so instead of offering the button."""
    session = get_object_or_404(
        attendance.sessions_with_register().select_related("edition__venue"),
        pk=session_pk,
    )
    device, new_device = _device(request)
    error = ""
    if request.method == "POST":
        try:
            record = attendance_services.attendance_check_in(
                session=session, token=token, trainee=request.user, device=device
            )
        except AttendanceError as refusal:
            if refusal.code != "checkin_done":
                error = str(refusal)
        else:
            messages.success(
                request,
                _(
                    "You are checked in. Thank you! The instructor will confirm it "
                    "in the register."
                ),
            )
            response = redirect(
                "attendance:enrolment_attendance", pk=record.enrolment_id
            )
            return _with_device(response, device, new_device)
    editions_localize(editions=[session.edition])
    mine = attendance.trainee_session_record(trainee=request.user, session=session)
    response = TemplateResponse(
        request,
        "portal/check_in.html",
        {"session": session, "token": token, "error": error, "record": mine},
        status=409 if error else 200,
    )
    return _with_device(response, device, new_device)


def _with_device(response: HttpResponse, device: str, new: bool) -> HttpResponse:
    if new:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            device,
            salt=DEVICE_COOKIE_SALT,
            max_age=DEVICE_COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
