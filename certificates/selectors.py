"""Reads: eligibility (certificates.eligibility, re-exported here), verification
answers, who may download what."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from courses.models import CourseEdition, EditionStatus
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import User

from .eligibility import Eligibility, edition_eligibility, enrolment_eligibility
from .models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    IssueRun,
    ItemStatus,
    RunStatus,
)
from .signing import SignatureReport, pdf_signature_check

DOWNLOAD_PERMISSION = "certificates.view_certificate"

# Kept importable from here, where the services, views and tests find them.
__all__ = ["Eligibility", "edition_eligibility", "enrolment_eligibility"]


# -- verification -----------------------------------------------------------------


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate with this verification code, or None.

    Known and unknown codes take the same path: one indexed query.
    """
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    return (
        Certificate.objects.select_related("replaces", "replaced_by")
        .filter(verification_code=code)
        .first()
    )


@dataclass
class PdfCheck:
    """What an uploaded PDF is: the certificate it was made from (if any) and
    whether it is that certificate unmodified.

    `exact`: the file is the certificate as the school signed it (the school's
    intact signature covers the whole file, or the file is byte for byte the
    stored one). `modified`: the school signed what the file was made from, but
    content was added after signing. Either way `certificate` carries its
    current status: a revoked certificate shows as revoked.
    """

    sha256: str
    signature: SignatureReport
    certificate: Certificate | None = None

    @property
    def exact(self) -> bool:
        return self.certificate is not None and (
            self.signature.genuine or self.certificate.pdf_sha256 == self.sha256
        )

    @property
    def modified(self) -> bool:
        return self.certificate is not None and not self.exact


def certificate_from_pdf(*, pdf: bytes) -> PdfCheck:
    """Identify an uploaded PDF by what the school's signature covers.

    The signature is validated first; when it is intact and the school's, the
    digest of its signed byte ranges (the CMS messageDigest) is looked up in
    Certificate.signed_digest: bytes outside those ranges (the hex case of the
    signature container) cannot hide a certificate from its status. A file
    byte for byte equal to a stored PDF is that certificate too (rows issued
    before signed digests were kept). One query.
    """
    digest = hashlib.sha256(pdf).hexdigest()
    signature = pdf_signature_check(pdf=pdf)
    lookup = Q(pdf_sha256=digest)
    if signature.signed_digest:
        lookup |= Q(signed_digest=signature.signed_digest)
    certificate = (
        Certificate.objects.select_related("replaces", "replaced_by")
        .filter(lookup)
        .first()
    )
    return PdfCheck(sha256=digest, signature=signature, certificate=certificate)


def _public_course(certificate: Certificate) -> dict:
    return {
        "code": certificate.course_code,
        "title": certificate.course_title,
        "title_en": certificate.course_title_en,
        "eqf_level": certificate.course_eqf_level,
        "edition": certificate.edition_code,
        "start": certificate.edition_start.isoformat(),
        "end": certificate.edition_end.isoformat(),
        "hours": certificate.hours,
        "attendance_percent": float(certificate.attendance_percent),
    }


def _public_issuer(certificate: Certificate) -> dict:
    return {
        "name": certificate.issuer_name,
        "organisation": certificate.issuer_organisation,
        "address": certificate.issuer_address,
        "country": certificate.issuer_country,
        "url": certificate.issuer_url,
    }


def _public_status(certificate: Certificate, *, successor_url: str) -> dict:
    """Its validity: expiry, revocation, what it replaces or was replaced by."""
    replaced_by = getattr(certificate, "replaced_by", None)
    return {
        "valid_until": (
            certificate.valid_until.isoformat() if certificate.valid_until else None
        ),
        "revoked_at": (
            timezone.localtime(certificate.revoked_at).isoformat()
            if certificate.revoked_at
            else None
        ),
        "revoked_reason": certificate.revoked_reason or None,
        "replaces": certificate.replaces.serial if certificate.replaces_id else None,
        "replaced_by": replaced_by.serial if replaced_by else None,
        "replaced_by_url": successor_url or None,
    }


def certificate_public(
    *, certificate: Certificate, verify_url: str = "", successor_url: str = ""
) -> dict:
    """What anyone may know of a certificate: never email, fiscal code, or
    attendance beyond the percentage. The verification page and the JSON say this.
    """
    return {
        "status": certificate.public_status,
        "serial": certificate.serial,
        "verification_url": verify_url,
        "holder": {
            "name": certificate.holder_full_name,
            "given_name": certificate.holder_given_name,
            "family_name": certificate.holder_family_name,
        },
        "course": _public_course(certificate),
        "competencies": [
            {
                key: item.get(key)
                for key in ("code", "title", "title_en", "eqf_level", "esco_uri")
            }
            for item in certificate.competencies
        ],
        "issuer": _public_issuer(certificate),
        "place_of_issue": certificate.place_of_issue,
        "issued_on": certificate.issued_on.isoformat(),
        **_public_status(certificate, successor_url=successor_url),
        "pdf_sha256": certificate.pdf_sha256,
    }


# -- who sees what ------------------------------------------------------------------


def certificates_of_holder(*, user: User) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(holder=user)
        .select_related("replaced_by")
        .order_by("-issued_at", "-pk")
    )


# How many uncertified completed enrolments My certificates checks at most.
TO_COME_CHECKED = 3


def certificates_to_come(*, user: User) -> list[Enrolment]:
    """The holder's enrolments in completed editions that qualify for a
    certificate (of either kind) the school has not issued yet: My certificates
    says it is on its way rather than "none yet". One query, then the
    eligibility of the newest TO_COME_CHECKED such enrolments only, so the page
    stays within a fixed number of queries."""
    waiting = (
        Enrolment.objects.filter(
            trainee=user,
            status=EnrolmentStatus.CONFIRMED,
            edition__status=EditionStatus.COMPLETED,
        )
        .exclude(certificates__status=CertificateStatus.VALID)
        .select_related("edition__course")
        .order_by("-pk")[:TO_COME_CHECKED]
    )
    return [
        enrolment
        for enrolment in waiting
        if any(
            enrolment_eligibility(enrolment=enrolment, kind=kind).eligible
            for kind in (CertificateKind.COMPETENCY, CertificateKind.ATTENDANCE)
        )
    ]


def certificate_downloadable_by(*, certificate: Certificate, user: User) -> bool:
    """The holder, staff with the view permission, and the managers of the
    company that sponsored the enrolment."""
    if not user.is_authenticated:
        return False
    if certificate.holder_id == user.pk or user.has_perm(DOWNLOAD_PERMISSION):
        return True
    enrolment = certificate.enrolment
    if enrolment is None or enrolment.sponsor_company_id is None:
        return False
    return user.company_memberships.filter(
        company_id=enrolment.sponsor_company_id, is_manager=True
    ).exists()


def certificates_of_companies(*, user: User) -> QuerySet[Certificate]:
    """The certificates of the employees whose enrolments the user's companies
    (managed by the user) sponsored."""
    return (
        Certificate.objects.filter(
            enrolment__sponsor_company__members__user=user,
            enrolment__sponsor_company__members__is_manager=True,
        )
        .select_related("replaced_by")
        .distinct()
        .order_by("-issued_at", "-pk")
    )


def edition_certificates(*, edition: CourseEdition) -> QuerySet[Certificate]:
    return Certificate.objects.filter(
        Q(enrolment__edition=edition) | Q(edition_code=edition.code),
        status=CertificateStatus.VALID,
    ).order_by("holder_family_name", "holder_given_name", "pk")


# -- bulk runs ------------------------------------------------------------------------


@dataclass
class RunProgress:
    run: IssueRun
    total: int
    issued: int
    failed: int
    stalled: bool

    @property
    def done(self) -> int:
        return self.issued + self.failed

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def running(self) -> bool:
        return self.run.status == RunStatus.RUNNING


def run_progress(*, run: IssueRun, now: datetime.datetime | None = None) -> RunProgress:
    counts = dict(
        run.items.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    now = now or timezone.now()
    silent = (now - run.heartbeat_at).total_seconds()
    return RunProgress(
        run=run,
        total=sum(counts.values()),
        issued=counts.get(ItemStatus.ISSUED, 0),
        failed=counts.get(ItemStatus.FAILED, 0),
        stalled=(
            run.status == RunStatus.RUNNING
            and silent > settings.MAKERS_CERTIFICATE_RUN_STALL_SECONDS
        ),
    )


def edition_last_run(*, edition: CourseEdition) -> IssueRun | None:
    return (
        IssueRun.objects.filter(edition=edition).order_by("-created_at", "-pk").first()
    )
