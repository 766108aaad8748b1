"""Assessments of an edition's trainees, per competency of the course."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, FilteredRelation, Q

from courses.models import Competency, CourseEdition
from enrolment.models import Enrolment

from ..models import Assessment
from .registers import confirmed_enrolments


@dataclass
class EditionAssessments:
    competencies: list[Competency]
    enrolments: list[Enrolment]
    # (enrolment id, competency id) -> assessment
    assessments: dict[tuple[int, int], Assessment]

    def for_enrolment(self, enrolment: Enrolment) -> list[tuple]:
        return [
            (competency, self.assessments.get((enrolment.pk, competency.pk)))
            for competency in self.competencies
        ]


def edition_assessments(*, edition: CourseEdition) -> EditionAssessments:
    """The course's competencies and every confirmed trainee's assessment of
    each. Three queries."""
    competencies = list(
        Competency.objects.filter(courses=edition.course_id).order_by("code")
    )
    enrolments = list(confirmed_enrolments(edition_id=edition.pk))
    assessments = {
        (a.enrolment_id, a.competency_id): a
        for a in Assessment.objects.filter(enrolment__in=enrolments).select_related(
            "assessed_by"
        )
    }
    return EditionAssessments(
        competencies=competencies, enrolments=enrolments, assessments=assessments
    )


def enrolment_assessments(*, enrolment: Enrolment) -> list[tuple]:
    """(competency, assessment or None) for each competency of the enrolment's
    course, as EditionAssessments.for_enrolment() gives them. One query: the
    course's competencies left-joined with this enrolment's assessments."""
    competencies = (
        Competency.objects.filter(courses=enrolment.edition.course_id)
        .annotate(
            mine=FilteredRelation(
                "assessments", condition=Q(assessments__enrolment_id=enrolment.pk)
            ),
            assessment_pk=F("mine__pk"),
            assessment_achieved=F("mine__achieved"),
        )
        .order_by("code")
    )
    return [
        (
            competency,
            Assessment(
                pk=competency.assessment_pk,
                enrolment_id=enrolment.pk,
                competency_id=competency.pk,
                achieved=competency.assessment_achieved,
            )
            if competency.assessment_pk is not None
            else None,
        )
        for competency in competencies
    ]
