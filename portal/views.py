"""The signed-in person's area under /me/: the pages that combine several apps.

It sits above the domain apps (DESIGN.md layers): it reads their selectors and
calls their services; no domain app imports it.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.selectors import enrolments_attendance
from certificates import selectors as certificate_selectors
from courses.selectors import calendar_sessions, editions_localize, editions_taught
from enrolment import selectors as enrolment_selectors
from enrolment import services as enrolment_services
from enrolment.exceptions import EnrolmentError
from enrolment.forms import CompanyEnrolForm, CompanyInviteForm
from enrolment.models import Enrolment, Invitation
from evaluations import selectors as evaluation_selectors
from notices import selectors as notice_selectors
from people.services import calendar_feed_ensure, calendar_feed_reset

from .companies import company_chosen


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in person's home: who they are and where to go next.

    Gives the template the active enrolments (for a "My courses" card) and whether
    the person manages a company (for a link to the company page).
    """
    enrolments = [
        enrolment
        for enrolment in enrolment_selectors.trainee_enrolments(trainee=request.user)
        if enrolment.is_active
    ]
    taught = editions_taught(instructor=request.user)
    evaluations = evaluation_selectors.requests_pending(user=request.user)
    editions_localize(
        editions=[enrolment.edition for enrolment in enrolments]
        + taught
        + [evaluation.enrolment.edition for evaluation in evaluations]
    )
    context = {
        "active_enrolments": enrolments,
        "manages_company": bool(
            enrolment_selectors.companies_managed(user=request.user)
        ),
        "editions_taught": taught,
        "pending_invitations": enrolment_selectors.invitations_pending(
            user=request.user
        ),
        "attendance_risks": notice_selectors.trainee_risks(user=request.user),
        "pending_evaluations": evaluations,
    }
    return TemplateResponse(request, "portal/dashboard.html", context)


def _company_result_message(result: Enrolment | Invitation) -> str:
    if isinstance(result, Enrolment):
        return _("%(person)s: %(status)s") % {
            "person": result.trainee,
            "status": result.get_status_display(),
        }
    return _("Invitation sent to %(email)s.") % {"email": result.email}


def _company_post(request: HttpRequest, *, company, action: str | None, form):
    """Enrol an employee or invite someone; the message, or None when the form
    holds what was refused."""
    if not form.is_valid():
        return None
    try:
        if action == "enrol":
            result = enrolment_services.enrolment_sponsor(
                company=company,
                manager=request.user,
                trainee=form.cleaned_data["employee"],
                edition=form.cleaned_data["edition"],
            )
        else:
            result = enrolment_services.invitation_create(
                company=company,
                manager=request.user,
                email=form.cleaned_data["email"],
                edition=form.cleaned_data["edition"],
            )
    except EnrolmentError as error:
        form.add_error(None, str(error))
        return None
    except ValidationError as error:
        # A service's full_clean() refused a value the form let through.
        for message in error.messages:
            form.add_error(None, message)
        return None
    return _company_result_message(result)


def _company_rows(company) -> dict:
    """The company's sponsored enrolments, with attendance, and open invitations."""
    enrolments = list(
        enrolment_selectors.company_sponsored_enrolments(companies=[company])
    )
    invitations = list(
        enrolment_selectors.company_open_invitations(companies=[company])
    )
    editions_localize(editions=[row.edition for row in [*enrolments, *invitations]])
    return {
        "enrolments": enrolments,
        # Issue 7: each sponsored employee's attendance % and reachability.
        "attendance": enrolments_attendance(enrolments=enrolments),
        "invitations": invitations,
        # Issue 23: the notices of attendance at risk sent about them.
        "attendance_risks": notice_selectors.company_risks(company=company),
    }


@login_required
def company(request: HttpRequest) -> HttpResponse:
    """A company manager enrols employees, invites people and follows them."""
    companies = enrolment_selectors.companies_managed(user=request.user)
    if not companies:
        raise Http404
    chosen = company_chosen(request, companies)
    enrol_form = CompanyEnrolForm(company=chosen, prefix="enrol")
    invite_form = CompanyInviteForm(prefix="invite")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "enrol":
            enrol_form = CompanyEnrolForm(request.POST, company=chosen, prefix="enrol")
            form = enrol_form
        else:
            invite_form = CompanyInviteForm(request.POST, prefix="invite")
            form = invite_form
        done = _company_post(request, company=chosen, action=action, form=form)
        if done is not None:
            messages.success(request, done)
            return redirect(f"{reverse('portal:company')}?company={chosen.pk}")
    context = {
        "companies": companies,
        "chosen": chosen,
        "enrol_form": enrol_form,
        "invite_form": invite_form,
        **_company_rows(chosen),
    }
    return TemplateResponse(request, "portal/company.html", context)


# How many of the next sessions "My calendar" lists below the links.
CALENDAR_PREVIEW = 5


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """My calendar: the personal feed's URLs (webcal and https), buttons that
    add it to Google Calendar and Outlook, and a reset of its secret link."""
    if request.method == "POST":
        calendar_feed_reset(user=request.user)
        messages.success(
            request,
            _(
                "Your calendar has a new link. The old one no longer works: "
                "subscribe again with the new one."
            ),
        )
        return redirect("portal:calendar")
    feed = calendar_feed_ensure(user=request.user)
    feed_url = request.build_absolute_uri(
        reverse("calendar_feeds:personal", args=[feed.token])
    )
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    name = _("Makers' School: my calendar")
    upcoming = list(
        calendar_sessions(
            enrolment_selectors.person_calendar_sessions(user=request.user)
        ).filter(end__gte=timezone.now())[:CALENDAR_PREVIEW]
    )
    editions_localize(editions=[session.edition for session in upcoming])
    context = {
        "feed_url": feed_url,
        "webcal_url": webcal_url,
        "google_url": "https://calendar.google.com/calendar/render?"
        + urlencode({"cid": webcal_url}),
        "outlook_url": "https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": feed_url, "name": name}),
        "upcoming": upcoming,
    }
    return TemplateResponse(request, "portal/calendar.html", context)


@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    """My certificates: the trainee's own, and for a company manager those of the
    employees the company enrolled; each PDF through the checked download;
    the certificates that wait for the course questionnaire, with its link."""
    held = evaluation_selectors.requests_holding_certificates(user=request.user)
    to_come = certificate_selectors.certificates_to_come(user=request.user)
    editions_localize(
        editions=[evaluation.enrolment.edition for evaluation in held]
        + [enrolment.edition for enrolment in to_come]
    )
    context = {
        "held_by_questionnaire": held,
        "certificates_to_come": to_come,
        "certificates": list(
            certificate_selectors.certificates_of_holder(user=request.user)
        ),
        "company_certificates": list(
            certificate_selectors.certificates_of_companies(user=request.user).exclude(
                holder=request.user
            )
        ),
    }
    return TemplateResponse(request, "portal/certificates.html", context)
