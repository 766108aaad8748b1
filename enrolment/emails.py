"""The emails of enrolment: one text and one HTML template per new status."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import EnrolmentEvent, EnrolmentStatus, Invitation

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


def site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    text = render_to_string(f"enrolment/emails/{template}.txt", context)
    html = render_to_string(f"enrolment/emails/{template}.html", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    message = EmailMultiAlternatives(subject=f"{prefix}{subject}", body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def event_email_send(*, event_id: int) -> None:
    event = (
        EnrolmentEvent.objects.select_related(
            "enrolment__trainee",
            "enrolment__edition__course",
            "enrolment__edition__venue",
            "enrolment__moved_to__edition__course",
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.new_status not in SUBJECTS:
        return
    enrolment = event.enrolment
    trainee = enrolment.trainee
    with translation.override(trainee.language):
        context = {
            "event": event,
            "enrolment": enrolment,
            "trainee": trainee,
            "edition": enrolment.edition,
            "course": enrolment.edition.course,
            "my_courses_url": site_url(reverse("enrolment:my_courses")),
            "LANGUAGE_CODE": trainee.language,
        }
        if event.new_status == EnrolmentStatus.OFFERED and enrolment.offer_token:
            context["offer_url"] = site_url(
                reverse("enrolment:offer", args=[enrolment.offer_token])
            )
            context["offer_expires_at"] = enrolment.offer_expires_at
        if event.new_status == EnrolmentStatus.WAITLISTED:
            context["position"] = (event.data or {}).get("position")
        subject = SUBJECTS[event.new_status] % {
            "course": enrolment.edition.course.title
        }
        _send(
            to=trainee.email,
            subject=str(subject),
            template=event.new_status,
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
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "edition": invitation.edition,
            "course": invitation.edition.course,
            "signup_url": site_url(reverse("account_signup")),
        }
        subject = _("%(company)s enrols you in %(course)s") % {
            "company": invitation.company.name,
            "course": invitation.edition.course.title,
        }
        _send(
            to=invitation.email,
            subject=str(subject),
            template="invitation",
            context=context,
        )
