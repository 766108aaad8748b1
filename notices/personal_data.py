"""What notices keep about a person, in their export and their erasure
(people.personal_data): their choices, the notices sent to them and their
address's bounce mark (core.EmailBounce, the list every email respects); the
attendance risks go with the enrolments' own erasure rules."""

from core.emails import email_bounce_clear
from core.models import EmailBounce
from people.models import User
from people.personal_data import (
    erasure_step_register,
    export_rows,
    export_section_register,
    export_value,
)

from .models import OPTIONAL_KINDS, NoticeOptOut, SentNotice


def notices_section(*, user: User) -> dict:
    """The optional notices the person receives or switched off, the notices
    sent to them (kind, when, about what) and whether their address bounces."""
    off = set(NoticeOptOut.objects.filter(user=user).values_list("kind", flat=True))
    bounce = EmailBounce.objects.filter(email=user.email.strip().lower()).first()
    return {
        "preferences": [
            {"kind": str(kind), "receive": kind not in off} for kind in OPTIONAL_KINDS
        ],
        "sent": export_rows(
            SentNotice.objects.filter(recipient=user).order_by("sent_at", "pk"),
            ["kind", "sent_at", "about"],
        ),
        "bounce": (
            {
                "email": bounce.email,
                "reason": bounce.reason,
                "marked_at": export_value(bounce.marked_at),
            }
            if bounce
            else None
        ),
    }


def notices_erase(*, user: User, email: str) -> None:
    NoticeOptOut.objects.filter(user=user).delete()
    SentNotice.objects.filter(recipient=user).delete()
    email_bounce_clear(email=email)


def personal_data_register() -> None:
    """From NoticesConfig.ready()."""
    export_section_register(key="notices", position=140, build=notices_section)
    erasure_step_register(notices_erase)
