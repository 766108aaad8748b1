"""What enrolment holds about a person, in their data export and their erasure
(people.personal_data). Enrolments stay, with the anonymised account, as school
statistics; invitations to the address go."""

from people.models import User
from people.personal_data import (
    erasure_step_register,
    export_rows,
    export_section_register,
)

from .models import Enrolment, Invitation


def enrolments_section(*, user: User) -> list[dict]:
    return export_rows(
        Enrolment.objects.filter(trainee=user),
        ["edition__code", "edition__course__title", "status", "created_at"],
    )


def invitations_section(*, user: User) -> list[dict]:
    return export_rows(
        Invitation.objects.filter(email__iexact=user.email),
        ["company__name", "edition__code", "created_at"],
    )


def invitations_erase(*, user: User, email: str) -> None:
    Invitation.objects.filter(email__iexact=email).delete()


def personal_data_register() -> None:
    """From EnrolmentConfig.ready()."""
    for key, position, build in (
        ("enrolments", 90, enrolments_section),
        ("invitations", 130, invitations_section),
    ):
        export_section_register(key=key, position=position, build=build)
    erasure_step_register(invitations_erase)
