"""The emails of enrolment: one text and one HTML template per new status."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from core.emails import email_send, site_url
from courses.models import CoursePage
from courses.selectors import editions_localize
from people.models import User

from .models import STATUS_ACTION_PREFIX, Enrolment, EnrolmentStatus, Invitation
from .selectors import status_change_from_entry

SUBJECTS = {
    EnrolmentStatus.CONFIRMED: _("Your place in %(course)s is confirmed"),
    EnrolmentStatus.PENDING_APPROVAL: _("Your request for %(course)s awaits approval"),
    EnrolmentStatus.WAITLISTED: _("You are on the waitlist for %(course)s"),
    EnrolmentStatus.OFFERED: _("A place in %(course)s is yours if you want it"),
    EnrolmentStatus.CANCELLED: _("Your enrolment in %(course)s is cancelled"),
    EnrolmentStatus.REJECTED: _("Your request for %(course)s was not accepted"),
    EnrolmentStatus.EXPIRED: _("Your offer for %(course)s has expired"),
    EnrolmentStatus.MOVED: _("Your enrolment in %(course)s has moved"),
}


def _course_in_language(edition) -> CoursePage:
    """The edition's course page in the active language (the recipient's)."""
    editions_localize(editions=[edition])
    return edition.localized_course


def _page_url(page) -> str:
    """The page's absolute URL on the site the emails link to (site_url)."""
    url = page.get_url() or ""
    return site_url(url) if url.startswith("/") else url


def status_email_send(*, log_entry_id: int) -> None:
    """Email the trainee about the status change an audit entry records."""
    entry = ModelLogEntry.objects.filter(pk=log_entry_id).first()
    if entry is None or not entry.action.startswith(STATUS_ACTION_PREFIX):
        return
    enrolment = (
        Enrolment.objects.select_related(
            "trainee",
            "edition__course",
            "edition__venue",
            "moved_to__edition__course",
        )
        .filter(pk=entry.object_id)
        .first()
    )
    change = status_change_from_entry(entry)
    if enrolment is None or change.new_status not in SUBJECTS:
        return
    trainee = enrolment.trainee
    with translation.override(trainee.language):
        course = _course_in_language(enrolment.edition)
        context = {
            "event": change,
            "enrolment": enrolment,
            "trainee": trainee,
            "edition": enrolment.edition,
            "course": course,
            "course_url": _page_url(course),
            "my_courses_url": site_url(reverse("enrolment:my_courses")),
            "LANGUAGE_CODE": trainee.language,
        }
        if change.new_status == EnrolmentStatus.OFFERED and enrolment.offer_token:
            context["offer_url"] = site_url(
                reverse("enrolment:offer", args=[enrolment.offer_token])
            )
            context["offer_expires_at"] = enrolment.offer_expires_at
        if change.new_status == EnrolmentStatus.WAITLISTED:
            context["position"] = change.data.get("position")
        subject = SUBJECTS[change.new_status] % {"course": course.title}
        email_send(
            to=trainee.email,
            subject=str(subject),
            template=f"enrolment/emails/{change.new_status}",
            context=context,
        )


def invitation_email_send(*, invitation_id: int) -> None:
    invitation = (
        Invitation.objects.select_related("company", "edition__course", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    # Someone with an account reads it in their language; anyone else in the
    # school's. Only the address's owner reads the email: nothing is revealed.
    invitee = (
        User.objects.filter(email__iexact=invitation.email).only("language").first()
    )
    language = invitee.language if invitee else settings.LANGUAGE_CODE
    with translation.override(language):
        course = _course_in_language(invitation.edition)
        context = {
            "invitation": invitation,
            "edition": invitation.edition,
            "course": course,
            "course_url": _page_url(course),
            "signup_url": site_url(reverse("account_signup")),
            "invitations_url": site_url(reverse("enrolment:invitations")),
        }
        # The company's name is typed by people outside the school: bounded.
        subject = _("%(company)s invites you to %(course)s") % {
            "company": Truncator(invitation.company.name).chars(80),
            "course": course.title,
        }
        email_send(
            to=invitation.email,
            subject=str(subject),
            template="enrolment/emails/invitation",
            context=context,
        )
