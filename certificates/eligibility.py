"""Eligibility for a certificate, of either kind.

DESIGN.md's rule: a confirmed enrolment in a completed edition, attendance at or
above the edition's minimum, every mandatory session attended, every competency
of the course achieved (not asked of a certificate of attendance, which
certifies no competency), and the course questionnaire answered where the
edition requires it (evaluations.selectors). Attendance and assessments come from
attendance.selectors, in a fixed number of queries per edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

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
from evaluations.selectors import questionnaire_missing, questionnaires_missing

from .models import Certificate, CertificateKind, CertificateStatus


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
    kind: str = CertificateKind.COMPETENCY,
    awaits_questionnaire: bool = False,
) -> Eligibility:
    """The rule itself, for one confirmed enrolment: its attendance figures and
    its (competency, assessment) pairs in, eligible or not and why not out."""
    reasons = []
    if edition.status != EditionStatus.COMPLETED:
        reasons.append(_("The edition is not completed yet."))
    reasons += _attendance_reasons(edition=edition, figures=figures)
    if awaits_questionnaire:
        # The edition requires the course questionnaire before certificates.
        reasons.append(_("The certificate waits for the course questionnaire."))
    achieved = []
    if kind != CertificateKind.COMPETENCY:
        assessed = []  # a certificate of attendance certifies no competency
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


def edition_eligibility(
    *, edition: CourseEdition, kind: str = CertificateKind.COMPETENCY
) -> list[Eligibility]:
    """Per confirmed enrolment of the edition, eligible or not (for a certificate
    of that kind) and why not. A fixed number of queries, whatever the number of
    trainees."""
    attendance = edition_attendance(edition=edition)
    assessments = edition_assessments(edition=edition)
    issued = {
        certificate.enrolment_id: certificate
        for certificate in Certificate.objects.filter(
            enrolment__edition=edition, status=CertificateStatus.VALID, kind=kind
        )
    }
    waiting = questionnaires_missing(edition=edition)
    return [
        _eligibility(
            edition=edition,
            figures=figures,
            assessed=assessments.for_enrolment(figures.enrolment),
            certificate=issued.get(figures.enrolment.pk),
            kind=kind,
            awaits_questionnaire=figures.enrolment.pk in waiting,
        )
        for figures in attendance.trainees
    ]


def enrolment_eligibility(
    *, enrolment: Enrolment, kind: str = CertificateKind.COMPETENCY
) -> Eligibility:
    """The eligibility of one enrolment, by the same rule as edition_eligibility()
    (a non-confirmed one is never eligible); `certificate` is its valid one, if
    it has one, eligible or not. A fixed number of queries, whatever
    the size of the edition: issuing one certificate of a bulk run reads only its
    own enrolment's records. `enrolment` should carry its edition.
    """
    certificate = Certificate.objects.filter(
        enrolment=enrolment, status=CertificateStatus.VALID, kind=kind
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
        kind=kind,
        awaits_questionnaire=questionnaire_missing(enrolment=enrolment),
    )
