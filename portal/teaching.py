"""The instructor's pages under /me/teaching/: "My teaching", a session's register
(phone-first, one tap per trainee with htmx; self check-ins to confirm; closing
after a confirmation page), its rotating self check-in code, an edition's
trainees with their figures, assessments, and the register exports. The
trainee's check-in page behind the code is portal.check_in.

Thin: who may act and every rule are in attendance.services and
attendance.selectors. Access is by teaching the edition (one of its
instructors, or a session's, holding the Instructor role) or by the staff's
register permission; anyone else gets a 403, anonymous visitors the login page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from attendance import selectors as attendance
from attendance import services as attendance_services
from attendance.exceptions import AttendanceError
from attendance.exports import register_download
from attendance.models import AttendanceStatus
from courses.models import Competency, CourseEdition, Session
from courses.selectors import editions_localize
from enrolment.models import Enrolment, EnrolmentStatus


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
            entered_at=request.POST.get("entry") or None,
            exited_at=request.POST.get("exit") or None,
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
            # The "n of m marked" line above the list, swapped out of band.
            "count": attendance.register_marked_count(session=session),
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
        notice = ngettext(
            "%(count)d trainee marked present.",
            "%(count)d trainees marked present.",
            count,
        ) % {"count": count}
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
@require_http_methods(["GET", "POST"])
def register_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing asks first (a page of its own, so it works without JavaScript):
    it names the self check-ins to confirm and the trainees still unmarked;
    closing with some unmarked takes an explicit "close anyway"."""
    if request.method == "GET":
        session = _session(request, pk)
        register = attendance.session_register(session=session)
        editions_localize(editions=[session.edition])
        return TemplateResponse(
            request,
            "portal/register_close.html",
            {"session": session, "register": register},
        )
    session = _session_unchecked(pk)
    try:
        attendance_services.register_close(
            session=session,
            actor=request.user,
            allow_unmarked=request.POST.get("allow_unmarked") == "yes",
        )
    except AttendanceError as refusal:
        if refusal.code == "not_allowed":
            raise PermissionDenied from refusal
        messages.error(request, str(refusal))
        if refusal.code in ("close_unmarked", "close_unconfirmed"):
            return redirect("portal:register_close", pk=session.pk)
    else:
        messages.success(request, _("The register is closed."))
    return redirect("portal:register", pk=session.pk)


@login_required
@require_POST
def register_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the self check-ins awaiting it: one trainee's (`enrolment`) or
    all. htmx gets the list back; without JavaScript the page it came from."""
    session = _session_unchecked(pk)
    enrolment = None
    if request.POST.get("enrolment"):
        enrolment = get_object_or_404(
            Enrolment, pk=request.POST["enrolment"], edition_id=session.edition_id
        )
    error = notice = ""
    try:
        count = attendance_services.attendance_confirm_check_ins(
            session=session, actor=request.user, enrolment=enrolment
        )
    except AttendanceError as refusal:
        if refusal.code == "not_allowed":
            raise PermissionDenied from refusal
        error = notice = str(refusal)
    else:
        notice = ngettext(
            "%(count)d self check-in confirmed.",
            "%(count)d self check-ins confirmed.",
            count,
        ) % {"count": count}
    if not _is_htmx(request):
        (messages.error if error else messages.success)(request, notice)
        if request.POST.get("next") == "close":
            return redirect("portal:register_close", pk=session.pk)
        return redirect("portal:register", pk=session.pk)
    return TemplateResponse(
        request,
        "portal/includes/register_rows.html",
        _register_context(request, session, error=error, notice=notice),
    )


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
            attendance_services.assessment_record(
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
    return register_download(summary=summary, fmt=fmt)
