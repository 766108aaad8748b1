"""The demo's notices (issue 23): one of each of the five kinds, printed by the
console email backend on `make run`.

The school's week decides when a notice is due: the live edition's next
session, the waitlist offer's expiry, a register left open. Rather than fake
them, each job runs once "as of" the instant at which the demo's own data makes
it due (the jobs take now=), so the emails are the real ones. Each notice is
sent once (notices' SentNotice keys): a second run sends nothing new.
"""

import datetime as dt

from django.utils import timezone

from courses.models import Session
from enrolment.models import Enrolment, EnrolmentStatus
from notices import jobs, selectors

from .data import data

# A reminder goes in the 24 hours before a session, an offer's warning in the 6
# before it lapses: the demo runs them a little inside those windows.
REMINDER_AHEAD = dt.timedelta(hours=3)
OFFER_AHEAD = dt.timedelta(hours=5)


def _live_sessions():
    return Session.objects.filter(
        edition__code=data("attendance")["live"]["code"], cancelled=False
    ).order_by("start")


def reminder_instant(*, now: dt.datetime) -> dt.datetime | None:
    """A few hours before the live edition's next session."""
    session = _live_sessions().filter(start__gt=now).first()
    return session.start - REMINDER_AHEAD if session else None


def offer_instant(*, now: dt.datetime) -> dt.datetime | None:
    """Five hours before the open offer (the waitlist's head) lapses."""
    offer = (
        Enrolment.objects.filter(
            status=EnrolmentStatus.OFFERED, offer_expires_at__gt=now
        )
        .order_by("offer_expires_at")
        .first()
    )
    return offer.offer_expires_at - OFFER_AHEAD if offer else None


def register_instant(*, now: dt.datetime) -> dt.datetime | None:
    """MAKERS_REGISTER_OPEN_HOURS after the end of the live edition's latest
    held session with a trainee unmarked, whose register is not closed nor
    locked at that instant."""
    hours = dt.timedelta(hours=selectors.register_open_hours())
    for session in _live_sessions().filter(end__lte=now).reverse():
        instant = session.end + hours
        if selectors.registers_left_open(now=instant).filter(pk=session.pk).exists():
            return instant
    return None


def demo_notices_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run each notice job as of the instant the demo makes it due; how many
    emails each sent. A job with no such instant runs as of `now`."""
    now = now or timezone.now()
    instants = {
        "session_reminders": reminder_instant(now=now),
        "offers_expiring": offer_instant(now=now),
        "certificates_expiring": now,  # the demo's certificate: 50 days left
        "attendance_risks": now,  # the registers' absences decide, not the hour
        "registers_open": register_instant(now=now),
    }
    return {name: job(now=instants[name] or now) for name, job in jobs.JOBS.items()}
