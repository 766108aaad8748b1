"""The notice jobs: each finds what is due now (notices.selectors) and sends
every notice of it once (notices.services.notice_send). The scheduler runs them
through notices.tasks; `manage.py notices_send` runs them all once.

A notice is due in a window (a session within the next day, an offer within
six hours of lapsing, ...): a job that runs late still sends it while the
window lasts, and one that runs again sends nothing twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.utils import timezone

from people.models import User

from . import emails, selectors
from .models import NoticeKind
from .services import Message, attendance_risks_record, keys_sent, notice_send


@dataclass(frozen=True)
class Due:
    key: str
    user: User
    build: Callable[[], Message]
    about: str = ""  # as the person's data export shows it


def _send_due(*, kind: str, due: list[Due]) -> int:
    """Send each notice not sent yet to those who may be written to."""
    sent = keys_sent(item.key for item in due)
    pending = [item for item in due if item.key not in sent]
    reachable = selectors.users_reachable(
        users=[item.user for item in pending], kind=kind
    )
    return sum(
        notice_send(
            key=item.key, kind=kind, user=item.user, build=item.build, about=item.about
        )
        for item in pending
        if item.user.pk in reachable
    )


def session_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Sessions within the next day: their trainees and instructors, with the
    session's calendar file."""
    now = now or timezone.now()
    made: dict[tuple[int, str], bytes] = {}

    def ics(session, language: str) -> bytes:
        """One calendar file per session and language, however many read it."""
        if (session.pk, language) not in made:
            made[session.pk, language] = emails.session_ics(
                session=session, language=language
            )
        return made[session.pk, language]

    due = []
    for session in selectors.sessions_due_reminder(now=now):
        day = timezone.localtime(session.start).date().isoformat()
        people = [(user, False) for user in selectors.session_trainees(session=session)]
        people += [
            (user, True) for user in selectors.session_instructors(session=session)
        ]
        for user, teaches in people:
            due.append(
                Due(
                    key=f"session_reminder:{session.pk}:{day}:{user.pk}",
                    user=user,
                    build=partial(
                        emails.session_reminder,
                        session=session,
                        teaches=teaches,
                        ics=partial(ics, session, user.language),
                    ),
                    about=f"session {session.edition.code} {day}",
                )
            )
    return _send_due(kind=NoticeKind.SESSION_REMINDER, due=due)


def offers_expiring_send(*, now: datetime.datetime | None = None) -> int:
    """Offers lapsing within six hours: their trainee."""
    now = now or timezone.now()
    due = [
        Due(
            key=(
                f"offer_expiry:{enrolment.pk}:"
                f"{int(enrolment.offer_expires_at.timestamp())}"
            ),
            user=enrolment.trainee,
            build=partial(emails.offer_expiring, enrolment=enrolment),
            about=f"offer {enrolment.edition.code}",
        )
        for enrolment in selectors.offers_expiring(now=now)
    ]
    return _send_due(kind=NoticeKind.OFFER_EXPIRY, due=due)


def certificates_expiring_send(*, now: datetime.datetime | None = None) -> int:
    """Certificates expiring within 60, then 14 days: their holder, with the
    editions of the course open for enrolment."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    certificates = list(selectors.certificates_expiring(today=today))
    refreshers = selectors.refresher_editions(
        course_ids=[c.enrolment.edition.course_id for c in certificates if c.enrolment],
        now=now,
    )
    due = []
    for certificate in certificates:
        days = selectors.certificate_warning_days(
            valid_until=certificate.valid_until, today=today
        )
        if days is None:
            continue
        course_id = (
            certificate.enrolment.edition.course_id if certificate.enrolment else None
        )
        due.append(
            Due(
                key=f"certificate_expiry:{certificate.pk}:{days}",
                user=certificate.holder,
                build=partial(
                    emails.certificate_expiring,
                    certificate=certificate,
                    days=days,
                    refreshers=refreshers.get(course_id, []),
                ),
                about=f"certificate {certificate.serial}",
            )
        )
    return _send_due(kind=NoticeKind.CERTIFICATE_EXPIRY, due=due)


def attendance_risks_send(*, now: datetime.datetime | None = None) -> int:
    """Each new cause of attendance at risk: the notice on the pages, and an
    email to the trainee and to the company manager who enrolled them. (`now`
    is taken for a uniform signature: the risks follow the registers.)"""
    del now
    risks = attendance_risks_record(found=list(selectors.attendance_risks_found()))
    due = []
    for risk in risks.values():
        enrolment = risk.enrolment
        for user, manager in (
            (enrolment.trainee, False),
            (enrolment.sponsored_by, True),
        ):
            if user is None:
                continue
            due.append(
                Due(
                    key=f"attendance_risk:{risk.key}:{user.pk}",
                    user=user,
                    build=partial(emails.attendance_risk, risk=risk, manager=manager),
                    about=f"attendance {enrolment.edition.code} {risk.cause}",
                )
            )
    return _send_due(kind=NoticeKind.ATTENDANCE_RISK, due=due)


def registers_open_send(*, now: datetime.datetime | None = None) -> int:
    """Registers left open with trainees unmarked: the session's instructors,
    once."""
    now = now or timezone.now()
    due = [
        Due(
            key=f"register_open:{session.pk}:{user.pk}",
            user=user,
            build=partial(emails.register_open, session=session),
            about=(
                f"register {session.edition.code} "
                f"{timezone.localtime(session.start).date().isoformat()}"
            ),
        )
        for session in selectors.registers_left_open(now=now)
        for user in selectors.session_instructors(session=session)
    ]
    return _send_due(kind=NoticeKind.REGISTER_OPEN, due=due)


JOBS = {
    "session_reminders": session_reminders_send,
    "offers_expiring": offers_expiring_send,
    "certificates_expiring": certificates_expiring_send,
    "attendance_risks": attendance_risks_send,
    "registers_open": registers_open_send,
}
