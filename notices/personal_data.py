"""What notices keep about a person, in their erasure (people.personal_data):
their choices, the notices sent to them and their address's bounce mark go;
the attendance risks go with the enrolments' own erasure rules."""

from people.models import User
from people.personal_data import erasure_step_register

from .models import BouncedAddress, NoticeOptOut, SentNotice


def notices_erase(*, user: User, email: str) -> None:
    NoticeOptOut.objects.filter(user=user).delete()
    SentNotice.objects.filter(recipient=user).delete()
    BouncedAddress.objects.filter(email__iexact=email).delete()


def personal_data_register() -> None:
    """From NoticesConfig.ready()."""
    erasure_step_register(notices_erase)
