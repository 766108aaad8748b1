"""What certificates hold about a person, in their data export and their
erasure (people.personal_data): issued certificates stay verifiable as school
records, with the name snapshotted on them, unlinked from the account."""

from people.models import User
from people.personal_data import (
    erasure_step_register,
    export_rows,
    export_section_register,
)

from .models import Certificate, OpenBadgeRecord


def certificates_section(*, user: User) -> list[dict]:
    return export_rows(
        Certificate.objects.filter(holder=user),
        [
            "serial",
            "status",
            "course_code",
            "course_title",
            "issued_on",
            "holder_given_name",
            "holder_family_name",
            "verification_code",
        ],
    )


def certificates_unlink(*, user: User, email: str) -> None:
    """Unlink the certificates and forget the codice fiscale they keep, and
    the hashed email of their Open Badges (the name stays: the certificate
    remains verifiable as the school's record)."""
    OpenBadgeRecord.objects.filter(certificate__holder=user).update(
        identity_salt="", identity_hash=""
    )
    for certificate in Certificate.objects.filter(holder=user).only("printed"):
        if certificate.printed.get("holder", {}).get("codice_fiscale"):
            certificate.printed["holder"]["codice_fiscale"] = ""
            certificate.save(update_fields=["printed"])
    Certificate.objects.filter(holder=user).update(
        holder=None, holder_codice_fiscale=""
    )


def personal_data_register() -> None:
    """From CertificatesConfig.ready()."""
    export_section_register(
        key="certificates", position=120, build=certificates_section
    )
    erasure_step_register(certificates_unlink)
