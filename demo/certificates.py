"""Demo certificates (demo/data/certificates.yaml): a valid and a revoked one for
allievo (and a certificate of attendance), one for the company's employee, and
an ineligible trainee."""

import logging
from collections import Counter
from datetime import timedelta
from pathlib import Path

import yaml
from django.conf import settings
from django.utils import timezone

from attendance.models import Assessment, AttendanceRecord
from certificates import services as certificate_services
from certificates.exceptions import CertificateError
from certificates.models import CertificateKind
from certificates.signing import dev_signing_key_create, signing_configured
from courses.models import CourseEdition
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import Company, User

from .data import DATA_DIR

logger = logging.getLogger(__name__)


def _past_enrolment(*, trainee, edition, company, sponsor) -> Enrolment:
    """A confirmed enrolment in an edition whose window closed long ago."""
    enrolment = Enrolment.objects.filter(
        trainee=trainee, edition=edition, status=EnrolmentStatus.CONFIRMED
    ).first()
    if enrolment is None:
        enrolment = Enrolment.objects.create(
            trainee=trainee,
            edition=edition,
            status=EnrolmentStatus.CONFIRMED,
            sponsor_company=company if sponsor else None,
            sponsored_by=sponsor,
        )
    return enrolment


def load_certificates(
    *,
    users: dict[str, User],
    editions: dict[str, CourseEdition],
    company: Company,
    created: Counter,
) -> None:
    """Each trainee of the completed edition: attendance, assessments, certificates."""
    spec = yaml.safe_load((DATA_DIR / "certificates.yaml").read_text())
    _ensure_signing_key()
    edition = editions[spec["edition"]]
    sessions = [s for s in edition.sessions.order_by("start") if not s.cancelled]
    competencies = list(edition.course.competencies.all())
    staff = users.get("staff")
    for row in spec["trainees"]:
        sponsor = users.get(row.get("sponsor", ""))
        enrolment = _past_enrolment(
            trainee=users[row["who"]], edition=edition, company=company, sponsor=sponsor
        )
        attended = len(sessions) if row["attended"] == "all" else row["attended"]
        _record_attendance(
            enrolment=enrolment, sessions=sessions, attended=attended, created=created
        )
        _record_assessments(
            enrolment=enrolment,
            competencies=competencies,
            achieved=row["achieved"],
            created=created,
        )
        if row.get("attendance_certificate"):
            _issue_attendance(enrolment=enrolment, staff=staff, created=created)
        if (
            row["certificate"] == "none"
            or enrolment.certificates.filter(kind=CertificateKind.COMPETENCY).exists()
        ):
            continue
        _issue(row=row, enrolment=enrolment, staff=staff, created=created)


def _ensure_signing_key() -> None:
    """A development signing key where the settings name one that is missing."""
    if not signing_configured() and getattr(
        settings, "MAKERS_SIGNING_PASSPHRASE_FILE", None
    ):
        dev_signing_key_create(directory=Path(settings.MAKERS_SIGNING_P12).parent)


def _record_attendance(
    *, enrolment: Enrolment, sessions: list, attended: int, created: Counter
) -> None:
    """Present at the first `attended` sessions, absent at the rest (once)."""
    for number, session in enumerate(sessions):
        present = number < attended
        _, made = AttendanceRecord.objects.get_or_create(
            enrolment=enrolment,
            session=session,
            defaults={
                "status": "present" if present else "absent",
                "minutes_present": session.duration_minutes if present else 0,
                "recorded_at": session.end,
            },
        )
        created["attendance records"] += made


def _record_assessments(
    *, enrolment: Enrolment, competencies: list, achieved: bool, created: Counter
) -> None:
    """One assessment per competency of the course (once)."""
    for competency in competencies:
        _, made = Assessment.objects.get_or_create(
            enrolment=enrolment,
            competency=competency,
            defaults={"achieved": achieved, "assessed_at": timezone.now()},
        )
        created["assessments"] += made


def _issue_attendance(
    *, enrolment: Enrolment, staff: User | None, created: Counter
) -> None:
    """A certificate of attendance too (once), where the row asks for one."""
    if enrolment.certificates.filter(kind=CertificateKind.ATTENDANCE).exists():
        return
    try:
        certificate_services.certificate_issue(
            enrolment=enrolment, actor=staff, kind=CertificateKind.ATTENDANCE
        )
        created["certificates"] += 1
    except CertificateError as error:
        logger.warning("Demo certificate of attendance left out: %s", error)


def _issue(
    *, row: dict, enrolment: Enrolment, staff: User | None, created: Counter
) -> None:
    """Issue the certificate (and revoke and re-issue it where the row says so)."""
    # valid_days: a certificate that expires, so many days after the load (the
    # notices' "certificate about to expire", issue 23).
    days = row.get("valid_days")
    valid_until = timezone.localdate() + timedelta(days=days) if days else None
    try:
        first = certificate_services.certificate_issue(
            enrolment=enrolment, actor=staff, valid_until=valid_until
        )
        if row["certificate"] == "revoke_then_issue":
            certificate_services.certificate_revoke(
                certificate=first, actor=staff, reason=row["reason"]
            )
            certificate_services.certificate_issue(enrolment=enrolment, actor=staff)
            created["certificates"] += 1
        created["certificates"] += 1
    except CertificateError as error:
        logger.warning("Demo certificate for %s left out: %s", row["who"], error)
