"""The trainee's enrolment pages under /me/ (the portal mounts them). Thin: every
rule is in enrolment.services and every read in enrolment.selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.redirects import safe_next
from courses.selectors import editions_localize

from . import selectors, services
from .exceptions import EnrolmentError, refuse
from .models import Enrolment, EnrolmentStatus


def enrolment_result_message(enrolment: Enrolment) -> str:
    if enrolment.status == EnrolmentStatus.CONFIRMED:
        return _("You are enrolled: your place is confirmed.")
    if enrolment.status == EnrolmentStatus.PENDING_APPROVAL:
        return _("Your request is awaiting approval by the school.")
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        return _(
            "The edition is full: you are on the waitlist at position %(position)d."
        ) % {"position": enrolment.waitlist_position}
    return enrolment.get_status_display()


def _next_target(request: HttpRequest) -> str:
    """The form's `next` when it points into this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return safe_next(request, target, fallback="")


@login_required
@require_POST
def enrol(request: HttpRequest, edition_id: int) -> HttpResponse:
    """Enrol from the course page; say at once where the trainee stands.

    The edition is read without its course (a Wagtail page: a wide join) and
    with the service's prechecks, in one compiled query: the service needs only
    the edition, and the course page's URL is looked up only when the form sent
    no usable `next`.
    """
    found = selectors.edition_for_enrolment(trainee=request.user, edition_id=edition_id)
    if found is None:
        raise Http404
    edition, prechecks = found
    try:
        enrolment = services.enrolment_create(
            trainee=request.user, edition=edition, prechecks=prechecks
        )
    except EnrolmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, enrolment_result_message(enrolment))
    target = _next_target(request)
    if not target:
        editions_localize(editions=[edition])
        target = edition.localized_course.url
    return redirect(target or "enrolment:my_courses")


@login_required
def my_courses(request: HttpRequest) -> HttpResponse:
    """Every enrolment of the signed-in trainee with its status."""
    enrolments = selectors.enrolments_with_progress(
        selectors.trainee_enrolments(trainee=request.user)
    )
    editions_localize(editions=[enrolment.edition for enrolment in enrolments])
    return TemplateResponse(
        request, "enrolment/my_courses.html", {"enrolments": enrolments}
    )


@login_required
def enrolment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for confirmation (GET), then cancel (POST). Only the trainee's own.

    The page says what cancelling means where it is no longer a seat passed on
    (the edition has started); once the edition has ended, the service's
    refusal is said at once, with no form.
    """
    enrolment = get_object_or_404(
        selectors.trainee_enrolments(trainee=request.user), pk=pk
    )
    if request.method == "POST":
        try:
            services.enrolment_cancel(enrolment=enrolment, actor=request.user)
        except EnrolmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your enrolment has been cancelled."))
        return redirect("enrolment:my_courses")
    if not enrolment.is_active:
        raise Http404
    (enrolment,) = selectors.enrolments_with_progress([enrolment])
    if not enrolment.can_cancel:
        messages.error(request, str(refuse("ended", edition=enrolment.edition.code)))
        return redirect("enrolment:my_courses")
    editions_localize(editions=[enrolment.edition])
    return TemplateResponse(
        request, "enrolment/enrolment_cancel.html", {"enrolment": enrolment}
    )


@login_required
def offer(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the link in the offer email: accept or decline."""
    enrolment = selectors.enrolment_by_offer_token(token=token)
    if enrolment is None:
        raise Http404
    if enrolment.trainee_id != request.user.pk:
        return TemplateResponse(
            request,
            "enrolment/offer.html",
            {"error": _("This offer belongs to someone else.")},
            status=403,
        )
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.offer_accept(token=token, user=request.user)
                messages.success(request, _("You accepted the seat: you are enrolled."))
            elif action == "decline":
                services.offer_decline(token=token, user=request.user)
                messages.success(request, _("You declined the seat."))
            else:
                return HttpResponse(status=400)
        except EnrolmentError as refusal:
            error = str(refusal)
        else:
            return redirect("enrolment:my_courses")
    elif enrolment.status != EnrolmentStatus.OFFERED:
        error = _("This offer has already been used.")
    editions_localize(editions=[enrolment.edition])
    return TemplateResponse(
        request,
        "enrolment/offer.html",
        {"enrolment": enrolment, "error": error},
        status=409 if error else 200,
    )


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """A company's invitations to the signed-in person: accept or decline each.

    Joining the company, and the enrolment it asks for, happen only on "accept".
    """
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            invitation_id = int(request.POST.get("invitation", ""))
        except ValueError:
            return HttpResponse(status=400)
        try:
            if action == "accept":
                enrolment = services.invitation_accept(
                    invitation_id=invitation_id, user=request.user
                )
                messages.success(request, enrolment_result_message(enrolment))
            elif action == "decline":
                services.invitation_decline(
                    invitation_id=invitation_id, user=request.user
                )
                messages.success(request, _("You declined the invitation."))
            else:
                return HttpResponse(status=400)
        except EnrolmentError as error:
            messages.error(request, str(error))
        return redirect("enrolment:invitations")
    pending = selectors.invitations_pending(user=request.user)
    editions_localize(editions=[invitation.edition for invitation in pending])
    return TemplateResponse(
        request, "enrolment/invitations.html", {"invitations": pending}
    )
