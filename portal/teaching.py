"""The instructor's pages under /me/teaching/: "My teaching", a session's register
(phone-first, one tap per trainee with htmx), its rotating self check-in code,
an edition's trainees with their figures, assessments, and the register exports;
and the trainee's check-in page behind the code.

Thin: who may act and every rule are in enrolment.services.attendance and
enrolment.selectors_attendance. Access is by teaching the edition (one of its
instructors, or a session's) or by the staff's register permission; anyone else
gets a 403, anonymous visitors the login page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.models import Competency, CourseEdition, Session
from courses.selectors import editions_localize
from enrolment import selectors_attendance as attendance
from enrolment.exceptions import AttendanceError
from enrolment.models import AttendanceStatus, Enrolment, EnrolmentStatus
from enrolment.registers import register_file
from enrolment.services import assessments as assessment_services
from enrolment.services import attendance as attendance_services


def _session(request: HttpRequest, pk: int) -> Session:
    session = get_object_or_404(attendance.sessions_with_register(), pk=pk)
    if not (
        attendance.user_teaches_session(user=request.user, session=session)
        or attendance.user_is_register_staff(user=request.user)
    ):
        raise PermissionDenied
    return session


def _session_unchecked(pk: int) -> Session:
    """For the writes: the service itself refuses who may not act (a 403)."""
    return get_object_or_404(attendance.sessions_with_register(), pk=pk)


def _edition(request: HttpRequest, pk: int) -> CourseEdition:
    edition = get_object_or_404(
        CourseEdition.objects.select_related("course__locale", "venue"), pk=pk
    )
    if not (
        attendance.user_teaches_edition(user=request.user, edition=edition)
        or attendance.user_is_register_staff(user=request.user)
    ):
        raise PermissionDenied
    editions_localize(editions=[edition])
    return edition


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def my_teaching(request: HttpRequest) -> HttpResponse:
    """Today's and upcoming sessions of what the person teaches; past sessions
    whose register is still open come first, highlighted."""
    teaching = attendance.instructor_teaching(instructor=request.user)
    editions_localize(editions=teaching.editions)
    return TemplateResponse(request, "portal/teaching.html", {"teaching": teaching})


def _register_context(request: HttpRequest, session: Session, **extra) -> dict:
    return {
        "session": session,
        "register": attendance.session_register(session=session),
        "statuses": AttendanceStatus.choices,
        "minute_statuses": [AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY],
        **extra,
    }


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's register: every confirmed trainee, one tap to mark."""
    session = _session(request, pk)
    editions_localize(editions=[session.edition])
    context = _register_context(
        request, session, history=attendance.register_history(session=session)
    )
    return TemplateResponse(request, "portal/register.html", context)


@login_required
@require_POST
def register_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap: store the status (and minutes) of one trainee. htmx gets the
    trainee's row back; without JavaScript the register page again."""
    session = _session_unchecked(pk)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("trainee"),
        pk=request.POST.get("enrolment") or 0,
        edition_id=session.edition_id,
    )
    error = ""
    record = None
    try:
        record = attendance_services.attendance_mark(
            session=session,
            enrolment=enrolment,
            status=request.POST.get("status", ""),
            minutes_present=request.POST.get("minutes") or None,
            actor=request.user,
        )
    except AttendanceError as refusal:
        if refusal.code == "not_allowed":
            raise PermissionDenied from refusal
        error = str(refusal)
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("portal:register", pk=session.pk)
    if record is None:
        record = enrolment.attendance_records.filter(session=session).first()
    row = attendance.RegisterRow(enrolment=enrolment, record=record)
    return TemplateResponse(
        request,
        "portal/includes/register_row.html",
        {
            "row": row,
            "session": session,
            "locked": False,
            "statuses": AttendanceStatus.choices,
            "minute_statuses": [AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY],
            "error": error,
        },
    )


@login_required
@require_POST
def register_all_present(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark present everyone not marked yet; htmx gets the list back."""
    session = _session_unchecked(pk)
    error = ""
    try:
        count = attendance_services.attendance_all_present(
            session=session, actor=request.user
        )
    except AttendanceError as refusal:
        if refusal.code == "not_allowed":
            raise PermissionDenied from refusal
        error = str(refusal)
    else:
        notice = _("%(count)d trainees marked present.") % {"count": count}
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice)
        return redirect("portal:register", pk=session.pk)
    return TemplateResponse(
        request,
        "portal/includes/register_rows.html",
        _register_context(request, session, error=error, notice=error or notice),
    )


@login_required
@require_POST
def register_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_unchecked(pk)
    try:
        attendance_services.register_close(session=session, actor=request.user)
    except AttendanceError as refusal:
        if refusal.code == "not_allowed":
            raise PermissionDenied from refusal
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The register is closed."))
    return redirect("portal:register", pk=session.pk)


def _check_in_url(request: HttpRequest, session: Session) -> str:
    token = attendance_services.checkin_token_make(session=session)
    return request.build_absolute_uri(
        reverse("portal:check_in", args=[session.pk, token])
    )


@login_required
def register_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The self check-in code to show on a screen; it changes by itself."""
    session = _session(request, pk)
    return TemplateResponse(
        request,
        "portal/register_qr.html",
        {
            "session": session,
            "check_in_url": _check_in_url(request, session),
            "rotate_seconds": attendance_services.CHECKIN_ROTATE_SECONDS,
        },
    )


@login_required
def register_qr_code(request: HttpRequest, pk: int) -> HttpResponse:
    """A fresh code (inline SVG, segno), fetched by the QR page every 30 s."""
    session = _session(request, pk)
    response = TemplateResponse(
        request,
        "portal/includes/register_qr_code.html",
        {
            "session": session,
            "check_in_url": _check_in_url(request, session),
            "rotate_seconds": attendance_services.CHECKIN_ROTATE_SECONDS,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def check_in(request: HttpRequest, session_pk: int, token: str) -> HttpResponse:
    """Behind the QR code: a signed-in trainee confirms (POST) and is marked."""
    session = get_object_or_404(
        attendance.sessions_with_register().select_related("edition__venue"),
        pk=session_pk,
    )
    error = ""
    record = None
    if request.method == "POST":
        try:
            record = attendance_services.attendance_check_in(
                session=session, token=token, trainee=request.user
            )
        except AttendanceError as refusal:
            error = str(refusal)
        else:
            enrolment = record.enrolment
            messages.success(request, _("You are checked in. Thank you!"))
            return redirect("enrolment:attendance", pk=enrolment.pk)
    editions_localize(editions=[session.edition])
    return TemplateResponse(
        request,
        "portal/check_in.html",
        {"session": session, "token": token, "error": error},
        status=409 if error else 200,
    )


@login_required
def edition_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """An edition's trainees with their attendance and whether the minimum is
    still reachable; those at risk first and flagged."""
    edition = _edition(request, pk)
    summary = attendance.edition_attendance(edition=edition)
    trainees = sorted(summary.trainees, key=lambda t: not t.at_risk)
    return TemplateResponse(
        request,
        "portal/teaching_edition.html",
        {
            "edition": edition,
            "summary": summary,
            "trainees": trainees,
            "sessions": summary.sessions,
        },
    )


@login_required
def edition_assessments(request: HttpRequest, pk: int) -> HttpResponse:
    """Assessments per trainee and competency of the course (one form per cell)."""
    edition = _edition(request, pk)
    if request.method == "POST":
        enrolment = get_object_or_404(
            Enrolment.objects.select_related("trainee", "edition"),
            pk=request.POST.get("enrolment") or 0,
            edition=edition,
            status=EnrolmentStatus.CONFIRMED,
        )
        competency = get_object_or_404(
            Competency, pk=request.POST.get("competency") or 0
        )
        if request.POST.get("achieved") not in ("yes", "no"):
            messages.error(request, _("Choose achieved or not achieved."))
            return redirect("portal:edition_assessments", pk=edition.pk)
        try:
            assessment_services.assessment_record(
                enrolment=enrolment,
                competency=competency,
                achieved=request.POST.get("achieved") == "yes",
                score=request.POST.get("score") or None,
                note=request.POST.get("note", ""),
                actor=request.user,
            )
        except AttendanceError as refusal:
            if refusal.code == "not_allowed":
                raise PermissionDenied from refusal
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Assessment saved: %(person)s, %(competency)s")
                % {"person": enrolment.trainee, "competency": competency.code},
            )
        return redirect("portal:edition_assessments", pk=edition.pk)
    return TemplateResponse(
        request,
        "portal/assessments.html",
        {
            "edition": edition,
            "assessments": attendance.edition_assessments(edition=edition),
        },
    )


@login_required
def edition_register_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The edition's attendance register as PDF (reportlab) or CSV."""
    edition = _edition(request, pk)
    summary = attendance.edition_attendance(edition=edition)
    try:
        filename, mimetype, content = register_file(summary=summary, fmt=fmt)
    except LookupError as unknown:
        raise Http404 from unknown
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
