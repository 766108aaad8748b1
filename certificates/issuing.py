"""What an issued certificate holds: the issuer, its serial number, the snapshot
of what it certifies, and its signed PDF (drawn by certificates.pdf, signed by
certificates.signing). Used by the services (certificates.services), inside
their transactions; nothing here writes an audit entry.
"""

import datetime
import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from wagtail import hooks
from wagtail.models import Locale

from core.emails import site_url
from core.locking import row_lock
from courses.models import CourseEdition
from enrolment.models import Enrolment
from people.models import User

from .content import COMPETENCY_KEYS, certificate_content
from .exceptions import CertificateError, refuse
from .models import Certificate, CertificateKind, SerialCounter
from .pdf import CertificateRenderer, Issuer
from .selectors import Eligibility
from .signing import SigningKey, pdf_sign, signed_revision_digest, signing_key_load

# The Wagtail hook through which a higher layer (cms: the school's name, address
# and logo from its site settings) provides the issuer: certificates never
# imports the CMS (DESIGN.md layers).
ISSUER_HOOK = "makers_certificate_issuer"


def issuer_default() -> Issuer:
    """The school as issuer: from the first ISSUER_HOOK function that gives one
    (the CMS's site settings), else from Django settings."""
    for provide in hooks.get_hooks(ISSUER_HOOK):
        issuer = provide()
        if issuer is not None:
            return issuer
    return issuer_from_settings()


def issuer_from_settings() -> Issuer:
    """The school as issuer, from Django settings only."""
    extra = settings.MAKERS_CERTIFICATE_ISSUER
    return Issuer(
        name=settings.MAKERS_SCHOOL_NAME,
        organisation=extra.get("organisation", ""),
        address=settings.MAKERS_SCHOOL_ADDRESS,
        place=extra.get("place", "Torino"),
        legal_identifier=extra.get("legal_identifier", ""),
        url=settings.WAGTAILADMIN_BASE_URL,
        logo_path=extra.get("logo_path", ""),
        accreditation=extra.get("accreditation", ""),
    )


def verification_path(*, code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("certificates:verify", args=[code])


def verification_url(*, code: str) -> str:
    return site_url(verification_path(code=code))


def serials_take(*, year: int, count: int = 1) -> list[str]:
    """The next `count` serials of the year, under a lock on the year's counter
    row (held until the caller's transaction ends)."""
    SerialCounter.objects.bulk_create(
        [SerialCounter(year=year, last=0)], ignore_conflicts=True
    )
    counter = row_lock(SerialCounter.objects.filter(year=year))
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    prefix = settings.MAKERS_CERTIFICATE_SERIAL_PREFIX
    return [f"{prefix}-{year}-{n:06d}" for n in range(first, counter.last + 1)]


def _serial_next(*, year: int) -> str:
    return serials_take(year=year)[0]


def _edition_dates(edition: CourseEdition) -> tuple[datetime.date, datetime.date]:
    sessions = [s for s in edition.sessions.all() if not s.cancelled]
    if not sessions:
        today = timezone.localdate()
        return today, today
    return (
        timezone.localdate(min(s.start for s in sessions)),
        timezone.localdate(max(s.end for s in sessions)),
    )


def _competency_snapshot(competency) -> dict:
    """A competency as certified, with its references (COMPETENCY_KEYS)."""
    return {key: getattr(competency, key) for key in COMPETENCY_KEYS}


def _course_title_en(course) -> str:
    """The English translation's title, if the course page has one."""
    try:
        translation_page = course.get_translation(_locale("en"))
    except Exception:  # noqa: BLE001 - no English page: no English title
        return ""
    return translation_page.title


def _locale(code: str):
    return Locale.objects.get(language_code=code)


def _holder_and_course(
    certificate: Certificate, *, enrolment: Enrolment, eligibility: Eligibility
) -> None:
    """The snapshot of who was certified for what: later edits change nothing."""
    edition = enrolment.edition
    course = edition.course
    trainee = enrolment.trainee
    start, end = _edition_dates(edition)
    certificate.holder = trainee
    certificate.holder_given_name = trainee.first_name.strip()
    certificate.holder_family_name = trainee.last_name.strip()
    certificate.holder_codice_fiscale = trainee.codice_fiscale
    certificate.course_code = course.code
    certificate.course_title = course.title
    certificate.course_title_en = _course_title_en(course)
    certificate.course_eqf_level = course.eqf_level
    certificate.teaching_language = course.teaching_language
    certificate.edition_code = edition.code
    certificate.edition_start, certificate.edition_end = start, end
    certificate.venue = f"{edition.venue.name}, {edition.venue.full_address}"
    certificate.hours = course.hours
    certificate.attendance_percent = (
        eligibility.attendance_percent or Decimal("0")
    ).quantize(Decimal("0.1"))
    certificate.competencies = (
        [_competency_snapshot(c) for c in eligibility.competencies]
        if certificate.kind == CertificateKind.COMPETENCY
        else []
    )


def _issuer_into(certificate: Certificate, *, issuer: Issuer) -> None:
    """The snapshot of the issuer, as it is today."""
    certificate.issuer_name = issuer.name
    certificate.issuer_organisation = issuer.organisation
    certificate.issuer_address = issuer.address
    certificate.issuer_country = issuer.country
    certificate.issuer_legal_identifier = issuer.legal_identifier
    certificate.issuer_accreditation = issuer.accreditation
    certificate.issuer_url = issuer.url
    certificate.place_of_issue = issuer.place


def certificate_build(
    *,
    enrolment: Enrolment,
    eligibility: Eligibility,
    actor: User | None,
    issuer: Issuer,
    valid_until: datetime.date | None,
    replaces: Certificate | None = None,
    serial: str = "",
    kind: str = CertificateKind.COMPETENCY,
) -> Certificate:
    """The certificate of the enrolment, not saved yet: a serial number (the one
    given, else the year's next: its registration number), an unguessable code,
    the snapshot, and the content its PDF prints (certificates.content)."""
    now = timezone.now()
    certificate = Certificate(
        enrolment=enrolment,
        kind=kind,
        serial=serial or _serial_next(year=timezone.localdate(now).year),
        verification_code=secrets.token_urlsafe(24),  # 192 random bits
        issued_on=timezone.localdate(now),
        issued_at=now,
        issued_by=actor if actor and actor.is_authenticated else None,
        valid_until=valid_until,
        replaces=replaces,
    )
    _holder_and_course(certificate, enrolment=enrolment, eligibility=eligibility)
    _issuer_into(certificate, issuer=issuer)
    if not certificate.holder_given_name and not certificate.holder_family_name:
        raise refuse("holder_name_missing")
    certificate.printed = certificate_content(
        certificate=certificate,
        verification_url=verification_url(code=certificate.verification_code),
        replaces_serial=replaces.serial if replaces else "",
    )
    return certificate


def certificate_render(*, certificate: Certificate, logo_path: str = "") -> bytes:
    """The certificate's PDF drawn again (unsigned) from its frozen content:
    the same words as the day it was issued. One issued before contents were
    frozen is drawn from its snapshot fields."""
    return CertificateRenderer(
        certificate=certificate,
        verification_url=verification_url(code=certificate.verification_code),
        logo_path=logo_path,
    ).generate()[2]


def certificate_sign_and_save(
    certificate: Certificate, *, issuer: Issuer, key: SigningKey
) -> Certificate:
    """Draw the certificate's PDF, sign it with the school's key, and save the
    certificate with its PDF and the digests that identify it."""
    filename, _mimetype, content = CertificateRenderer(
        content=certificate.printed, logo_path=issuer.logo_path
    ).generate()
    signed = pdf_sign(
        pdf=content, key=key, reason=f"{certificate.serial}", location=issuer.place
    )
    certificate.pdf_sha256 = hashlib.sha256(signed).hexdigest()
    certificate.signed_digest = signed_revision_digest(
        signed=signed, unsigned_length=len(content)
    )
    certificate.pdf_size = len(signed)
    try:
        # The related rows were just read (the enrolment under its lock), and the
        # database holds every unique field: checking them again here would cost
        # five queries per certificate and prove nothing more.
        certificate.full_clean(
            exclude=["pdf", "enrolment", "holder", "issued_by", "replaces"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        raise CertificateError(" ".join(error.messages)) from error
    certificate.pdf.save(filename, ContentFile(signed), save=False)
    certificate.save()
    return certificate


def certificate_create(
    *,
    enrolment: Enrolment,
    eligibility: Eligibility,
    actor: User | None,
    issuer: Issuer,
    valid_until: datetime.date | None,
    replaces: Certificate | None = None,
    serial: str = "",
    kind: str = CertificateKind.COMPETENCY,
) -> Certificate:
    """Build, sign and save the enrolment's certificate (no checks of
    eligibility, no audit entry: the services do both)."""
    key = signing_key_load()  # refuse before taking a serial number
    certificate = certificate_build(
        enrolment=enrolment,
        eligibility=eligibility,
        actor=actor,
        issuer=issuer,
        valid_until=valid_until,
        replaces=replaces,
        serial=serial,
        kind=kind,
    )
    return certificate_sign_and_save(certificate, issuer=issuer, key=key)
