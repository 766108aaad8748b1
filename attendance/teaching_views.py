"""The instructor's register pages that issue 26 adds under /me/teaching/: a
session's details (topics covered, teacher, tutor, actual times), its
printable sign-in sheet, the scans of the signed sheet (upload, list,
download).

Thin: the services decide who may write. Pages are for the session's or
edition's instructors and the staff with the register permission; anyone else
gets 403, anonymous visitors the login page.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses.models import Session
from people.models import User

from . import selectors
from .exceptions import AttendanceError
from .forms import RegisterDetailsForm, ScanForm
from .models import RegisterScan, SessionRegister
from .services import register_details_save, register_scan_add
from .sign_in_sheet import SignInSheetPDF


def _session(request: HttpRequest, pk: int) -> Session:
    session = get_object_or_404(selectors.sessions_with_register(), pk=pk)
    if not (
        selectors.user_teaches_session(user=request.user, session=session)
        or selectors.user_is_register_staff(user=request.user)
    ):
        raise PermissionDenied
    return session


def _teachers(session: Session):
    return (
        User.objects.filter(
            Q(pk=session.instructor_id) | Q(editions_taught__pk=session.edition_id)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def _local_time(value):
    return timezone.localtime(value).time() if value else None


def _initial(session: Session) -> dict:
    register = SessionRegister.objects.filter(session=session).first()
    if register is None:
        return {
            "teacher": session.instructor_id,
            "started_at": _local_time(session.start),
            "ended_at": _local_time(session.end),
        }
    return {
        "topics_covered": register.topics_covered,
        "teacher": register.teacher_id or session.instructor_id,
        "tutor": register.tutor_id,
        "started_at": _local_time(register.started_at or session.start),
        "ended_at": _local_time(register.ended_at or session.end),
    }


@login_required
@require_http_methods(["GET", "POST"])
def register_details(request: HttpRequest, pk: int) -> HttpResponse:
    """Topics covered, teacher, tutor and the actual times of a session."""
    session = _session(request, pk)
    form = RegisterDetailsForm(
        request.POST or None, initial=_initial(session), teachers=_teachers(session)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            register_details_save(
                session=session,
                actor=request.user,
                topics_covered=data["topics_covered"],
                teacher=data["teacher"],
                tutor=data["tutor"],
                started_at=data["started_at"],
                ended_at=data["ended_at"],
                reason=request.POST.get("reason", ""),
            )
        except AttendanceError as refusal:
            if refusal.code == "not_allowed":
                raise PermissionDenied from refusal
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The session's details are saved."))
            return redirect("attendance:register_details", pk=session.pk)
    return TemplateResponse(
        request,
        "attendance/register_details.html",
        {
            "session": session,
            "form": form,
            "scan_form": ScanForm(),
            "scans": session.register_scans.select_related("uploaded_by"),
            "staff": selectors.user_is_register_staff(user=request.user),
        },
    )


@login_required
def sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's printable sign-in sheet (PDF), for a lab without network."""
    session = _session(request, pk)
    enrolments = list(selectors.confirmed_enrolments(edition_id=session.edition_id))
    filename, mimetype, content = SignInSheetPDF(
        session=session, enrolments=enrolments, school=settings.MAKERS_SCHOOL_NAME
    ).generate()
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["POST"])
def scan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the scan of the signed sheet with the register; refused with a
    message (nothing stored) when it is not a clean PDF, JPEG or PNG."""
    session = _session(request, pk)
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("attendance:register_details", pk=session.pk)
    try:
        register_scan_add(
            session=session, actor=request.user, upload=form.cleaned_data["scan"]
        )
    except AttendanceError as refusal:
        if refusal.code == "not_allowed":
            raise PermissionDenied from refusal
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("The scan is kept with the register: now type the marks.")
        )
    return redirect("attendance:register_details", pk=session.pk)


def scan_response(scan: RegisterScan) -> FileResponse:
    """A scan as a private download (no shared cache, no browser history)."""
    start = timezone.localtime(scan.session.start)
    response = FileResponse(
        scan.file.open("rb"),
        content_type=scan.content_type,
        as_attachment=True,
        filename=f"{scan.session.edition.code}-{start:%Y%m%d-%H%M}-scan-{scan.pk}."
        f"{scan.extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def scan_download(request: HttpRequest, pk: int) -> HttpResponse:
    """One scan, for those who may see its session's register."""
    scan = get_object_or_404(
        RegisterScan.objects.select_related("session__edition"), pk=pk
    )
    _session(request, scan.session_id)
    return scan_response(scan)
