"""Reads: eligibility, verification answers, who may download what.

Eligibility is DESIGN.md's rule: a confirmed enrolment in a completed edition,
attendance at or above the edition's minimum, every mandatory session attended,
every competency of the course achieved. Attendance and assessments come from
attendance.selectors, in a fixed number of queries per edition.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from attendance.selectors import (
    TraineeAttendance,
    edition_assessments,
    edition_attendance,
    enrolment_assessments,
    enrolment_attendance,
)
from courses.models import CourseEdition, EditionStatus
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import User

from .models import Certificate, CertificateStatus, IssueRun, ItemStatus, RunStatus
from .signing import SignatureReport, pdf_signature_check

DOWNLOAD_PERMISSION = "certificates.view_certificate"


@dataclass
class Eligibility:
    """One confirmed enrolment: eligible or not, and every reason why not."""

    enrolment: Enrolment
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    attendance_percent: Decimal | None = None
    competencies: list = field(default_factory=list)  # those achieved
    certificate: Certificate | None = None  # the valid one, if issued


def _attendance_reasons(*, edition: CourseEdition, figures: TraineeAttendance):
    """Why the attendance does not qualify (minimum, mandatory sessions)."""
    reasons = []
    if not figures.meets_minimum:
        percent = figures.percent
        shown = percent if percent is not None else 0
        gap = Decimal(edition.min_attendance_percent) - Decimal(str(shown))
        reasons.append(
            _(
                "Attendance %(percent)s %% is below the minimum of %(minimum)s %% "
                "by %(gap)s points."
            )
            % {
                "percent": number_format(Decimal(str(shown)), decimal_pos=1),
                "minimum": number_format(edition.min_attendance_percent),
                "gap": number_format(gap, decimal_pos=1),
            }
        )
    for session in figures.missed_mandatory:
        reasons.append(
            _("Mandatory session missed: %(session)s.") % {"session": session}
        )
    for session in figures.unrecorded_mandatory:
        reasons.append(
            _("Mandatory session not recorded in the register: %(session)s.")
            % {"session": session}
        )
    return reasons


def _eligibility(
    *,
    edition: CourseEdition,
    figures: TraineeAttendance,
    assessed: list[tuple],
    certificate: Certificate | None,
) -> Eligibility:
    """The rule itself, for one confirmed enrolment: its attendance figures and
    its (competency, assessment) pairs in, eligible or not and why not out."""
    reasons = []
    if edition.status != EditionStatus.COMPLETED:
        reasons.append(_("The edition is not completed yet."))
    reasons += _attendance_reasons(edition=edition, figures=figures)
    achieved = []
    for competency, assessment in assessed:
        if assessment is not None and assessment.achieved:
            achieved.append(competency)
        else:
            reasons.append(
                _("Competency not achieved: %(competency)s.")
                % {"competency": competency}
            )
    percent = figures.percent
    return Eligibility(
        enrolment=figures.enrolment,
        eligible=not reasons,
        reasons=reasons,
        attendance_percent=Decimal(str(percent)) if percent is not None else None,
        competencies=achieved,
        certificate=certificate,
    )


def edition_eligibility(*, edition: CourseEdition) -> list[Eligibility]:
    """Per confirmed enrolment of the edition, eligible or not and why not.

    A fixed number of queries, whatever the number of trainees.
    """
    attendance = edition_attendance(edition=edition)
    assessments = edition_assessments(edition=edition)
    issued = {
        certificate.enrolment_id: certificate
        for certificate in Certificate.objects.filter(
            enrolment__edition=edition, status=CertificateStatus.VALID
        )
    }
    return [
        _eligibility(
            edition=edition,
            figures=figures,
            assessed=assessments.for_enrolment(figures.enrolment),
            certificate=issued.get(figures.enrolment.pk),
        )
        for figures in attendance.trainees
    ]


def enrolment_eligibility(*, enrolment: Enrolment) -> Eligibility:
    """The eligibility of one enrolment, by the same rule as edition_eligibility()
    (a non-confirmed one is never eligible); `certificate` is its valid one, if
    it has one, eligible or not. A fixed number of queries, whatever
    the size of the edition: issuing one certificate of a bulk run reads only its
    own enrolment's records. `enrolment` should carry its edition.
    """
    certificate = Certificate.objects.filter(
        enrolment=enrolment, status=CertificateStatus.VALID
    ).first()
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        return Eligibility(
            enrolment=enrolment,
            eligible=False,
            reasons=[_("The enrolment is not confirmed.")],
            certificate=certificate,
        )
    return _eligibility(
        edition=enrolment.edition,
        figures=enrolment_attendance(enrolment=enrolment),
        assessed=enrolment_assessments(enrolment=enrolment),
        certificate=certificate,
    )


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
