"""The trainee's own attendance page under /me/."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from courses.selectors import editions_localize
from enrolment import selectors as enrolment_selectors
from enrolment.models import EnrolmentStatus

from . import selectors as attendance_selectors


@login_required
def enrolment_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainee's attendance in one of their editions: each session's status,
    the percentage, the edition's minimum and whether it can still be reached."""
    enrolment = get_object_or_404(
        enrolment_selectors.trainee_enrolments(trainee=request.user).filter(
            status=EnrolmentStatus.CONFIRMED
        ),
        pk=pk,
    )
    figures = attendance_selectors.enrolments_attendance(enrolments=[enrolment])[
        enrolment.pk
    ]
    sessions = list(enrolment.edition.sessions.order_by("start", "pk"))
    rows = [(session, figures.marks.get(session.pk)) for session in sessions]
    editions_localize(editions=[enrolment.edition])
    return TemplateResponse(
        request,
        "attendance/enrolment_attendance.html",
        {"enrolment": enrolment, "figures": figures, "rows": rows},
    )
