"""Assessments: whether a trainee achieved each competency of the course.

Written by the edition's instructors (or a session's) and the school's staff
(attendance.change_assessment), for confirmed trainees and the competencies of
the edition's course only; audited as makers.assessment.record.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import audit_log
from courses.models import Competency
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import User

from ..exceptions import refuse_attendance
from ..models import Assessment
from ..selectors import user_teaches_edition

ACTION_ASSESS = "makers.assessment.record"
STAFF_PERMISSION = "attendance.change_assessment"


def _score_valid(score) -> int | None:
    if score in (None, ""):
        return None
    try:
        value = int(score)
    except (TypeError, ValueError):
        raise refuse_attendance("bad_score") from None
    if not 0 <= value <= 100 or str(score).strip() != str(value):
        raise refuse_attendance("bad_score")
    return value


def _assessment_check(
    *, enrolment: Enrolment, competency: Competency, actor: User
) -> None:
    """The edition's instructors or staff, a confirmed trainee, a competency of
    the edition's course."""
    edition = enrolment.edition
    if not user_teaches_edition(user=actor, edition=edition) and not (
        actor.is_authenticated and actor.has_perm(STAFF_PERMISSION)
    ):
        raise refuse_attendance("not_allowed")
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        raise refuse_attendance("not_confirmed", person=enrolment.trainee)
    if not Competency.objects.filter(
        pk=competency.pk, courses=edition.course_id
    ).exists():
        raise refuse_attendance("competency_not_in_course", competency=competency)


@transaction.atomic
def assessment_record(
    *,
    enrolment: Enrolment,
    competency: Competency,
    achieved: bool,
    actor: User,
    score: int | str | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Assessment:
    """Record (or change) one trainee's outcome for one competency of the course."""
    now = now or timezone.now()
    _assessment_check(enrolment=enrolment, competency=competency, actor=actor)
    value = _score_valid(score)
    assessment = (
        Assessment.objects.select_for_update()
        .filter(enrolment=enrolment, competency=competency)
        .first()
    ) or Assessment(enrolment=enrolment, competency=competency)
    old = {"achieved": assessment.achieved, "score": assessment.score}
    assessment.enrolment, assessment.competency = enrolment, competency
    assessment.achieved = bool(achieved)
    assessment.score = value
    assessment.note = (note or "").strip()
    assessment.assessed_by = actor
    assessment.assessed_at = now
    assessment.full_clean(
        exclude=["enrolment", "competency", "assessed_by"], validate_constraints=False
    )
    assessment.save()
    audit_log(
        instance=assessment,
        action=ACTION_ASSESS,
        user=actor,
        data={
            "enrolment": enrolment.pk,
            "trainee": str(enrolment.trainee),
            "competency": competency.code,
            "old": old if old["score"] is not None or old["achieved"] else None,
            "achieved": assessment.achieved,
            "score": value,
        },
    )
    return assessment
