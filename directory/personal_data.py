"""What the graduate directory holds about a person, in their data export and
their erasure (people.personal_data): who viewed and shortlisted their
profile, the contact requests they received, the companies they blocked."""

from people.models import GraduateProfile, User
from people.personal_data import (
    erasure_step_register,
    export_profile_extra_register,
    export_rows,
    export_section_register,
)

from .models import CompanyBlock, ContactRequest, ProfileView, ShortlistEntry


def profile_views_section(*, user: User) -> list[dict]:
    return export_rows(
        ProfileView.objects.filter(profile__user=user),
        ["company__name", "day", "count"],
    )


def contact_requests_section(*, user: User) -> list[dict]:
    return export_rows(
        ContactRequest.objects.filter(graduate=user),
        ["company__name", "message", "status", "created_at", "answered_at"],
    )


def blocked_companies_section(*, user: User) -> list[dict]:
    return export_rows(
        CompanyBlock.objects.filter(user=user), ["company__name", "created_at"]
    )


def shortlisted_by(*, profile: GraduateProfile) -> list[str]:
    return list(
        ShortlistEntry.objects.filter(profile=profile).values_list(
            "company__name", flat=True
        )
    )


def directory_erase(*, user: User, email: str) -> None:
    """Requests to the person go, requests they sent for a company stay without
    them; their blocks go. Views and shortlists go with the profile."""
    ContactRequest.objects.filter(graduate=user).delete()
    ContactRequest.objects.filter(sent_by=user).update(sent_by=None)
    CompanyBlock.objects.filter(user=user).delete()


def personal_data_register() -> None:
    """From DirectoryConfig.ready()."""
    export_section_register(
        key="profile_views", position=60, build=profile_views_section
    )
    export_section_register(
        key="contact_requests", position=70, build=contact_requests_section
    )
    export_section_register(
        key="blocked_companies", position=80, build=blocked_companies_section
    )
    export_profile_extra_register(key="shortlisted_by", build=shortlisted_by)
    erasure_step_register(directory_erase)
