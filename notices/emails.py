"""The notices' emails: subject, template and context of each, built in the
recipient's language (notices.services.notice_send activates it)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import site_url
from core.links import page_link
from core.templatetags.dates import local_date
from courses.calendar import calendar_bytes
from courses.feeds import calendar_context
from courses.models import CourseEdition, Session
from courses.selectors import editions_localize, session_for_calendar

from .models import AttendanceRisk
from .services import Message


def _course(edition: CourseEdition) -> dict:
    """The edition's course title and absolute link in the active language."""
    editions_localize(editions=[edition])
    page = edition.localized_course
    url = page.get_url() or ""
    return {
        "course": page,
        "course_title": page.title,
        "course_url": site_url(url) if url.startswith("/") else url,
    }


def _day(moment) -> str:
    """A date as the pages show it (month names in the language's case)."""
    return local_date(timezone.localtime(moment) if hasattr(moment, "hour") else moment)


def session_ics(*, session: Session, language: str) -> bytes:
    """The session's calendar file, as "add to my calendar" serves it
    (courses.feeds.session_download): same UID, same event."""
    shown = session_for_calendar(uuid=session.uuid)
    context = calendar_context(
        None, sessions=[shown], language=language, name=shown.edition.code
    )
    return calendar_bytes([shown], context=context)


def session_reminder(
    *, session: Session, teaches: bool, ics: Callable[[], bytes]
) -> Message:
    course = _course(session.edition)
    subject = _("Reminder: %(course)s, %(day)s") % {
        "course": course["course_title"],
        "day": _day(session.start),
    }
    link = (
        site_url(page_link("register", session.pk))
        if teaches
        else site_url(reverse("enrolment:my_courses"))
    )
    filename = f"{session.edition.code}-{timezone.localtime(session.start):%Y%m%d}.ics"
    return Message(
        subject=subject,
        template="notices/emails/session_reminder",
        context={
            **course,
            "session": session,
            "edition": session.edition,
            "teaches": teaches,
            "link": link,
        },
        attachments=(
            (
                filename,
                ics(),
                "text/calendar",
            ),
        ),
    )


def offer_expiring(*, enrolment) -> Message:
    course = _course(enrolment.edition)
    return Message(
        subject=_("Your seat in %(course)s is held for a few more hours")
        % {"course": course["course_title"]},
        template="notices/emails/offer_expiring",
        context={
            **course,
            "edition": enrolment.edition,
            "expires_at": enrolment.offer_expires_at,
            "offer_url": site_url(
                reverse("enrolment:offer", args=[enrolment.offer_token])
            ),
        },
    )


def certificate_expiring(*, certificate, days: int, refreshers: list) -> Message:
    editions_localize(editions=refreshers)
    title = certificate.localized_course_title
    return Message(
        subject=_("Your certificate for %(course)s expires on %(day)s")
        % {"course": title, "day": _day(certificate.valid_until)},
        template="notices/emails/certificate_expiring",
        context={
            "certificate": certificate,
            "course_title": title,
            "days": days,
            "refreshers": [
                {
                    "edition": edition,
                    "title": edition.localized_course.title,
                    "url": site_url(edition.localized_course.get_url() or "/"),
                }
                for edition in refreshers
            ],
            "certificates_url": site_url(page_link("my_certificates")),
        },
    )


def attendance_risk(*, risk: AttendanceRisk, manager: bool) -> Message:
    enrolment = risk.enrolment
    course = _course(enrolment.edition)
    values = {"course": course["course_title"], "person": enrolment.trainee}
    subject = (
        _("%(person)s: attendance in %(course)s at risk") % values
        if manager
        else _("Your attendance in %(course)s is at risk") % values
    )
    session = Session.objects.filter(pk=risk.session_id).first()
    return Message(
        subject=subject,
        template="notices/emails/attendance_risk",
        context={
            **course,
            "risk": risk,
            "session": session,
            "trainee": enrolment.trainee,
            "edition": enrolment.edition,
            "manager": manager,
            "minimum": enrolment.edition.min_attendance_percent,
            "link": site_url(page_link("company_page" if manager else "personal_area")),
        },
    )


def register_open(*, session: Session) -> Message:
    course = _course(session.edition)
    return Message(
        subject=_("The register of %(course)s, %(day)s, is still open")
        % {"course": course["course_title"], "day": _day(session.start)},
        template="notices/emails/register_open",
        context={
            **course,
            "session": session,
            "edition": session.edition,
            "register_url": site_url(page_link("register", session.pk)),
        },
    )
