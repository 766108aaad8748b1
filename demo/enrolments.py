"""Demo enrolments in several states, made only through the public enrolment
services (see demo/data/enrolments.yaml for the plan)."""

import logging
from collections import Counter

from courses.models import CourseEdition
from enrolment.exceptions import EnrolmentError
from enrolment.models import ACTIVE_STATUSES, Enrolment
from enrolment.services import (
    enrolment_approve,
    enrolment_cancel,
    enrolment_create,
)
from people.models import Company, User

from .data import data

logger = logging.getLogger(__name__)


def load_enrolments(
    *,
    users: dict[str, User],
    editions: dict[str, CourseEdition],
    company: Company,
    created: Counter,
) -> None:
    """Run the plan's steps. An enrolment the trainee already has is skipped, and
    a cancel or approve step acts only on an enrolment made by this very load.

    A step the services refuse is left out (say editions from an earlier load
    whose windows have closed since): the rest of the demo still loads.
    """
    made: dict[tuple[str, str], Enrolment] = {}
    for step in data("enrolments")["steps"]:
        edition = editions[step["edition"]]
        if "enrol" in step:
            trainee = users[step["enrol"]]
            if Enrolment.objects.filter(trainee=trainee, edition=edition).exists():
                continue
            sponsor = users.get(step.get("sponsor", ""))
            try:
                made[step["enrol"], step["edition"]] = enrolment_create(
                    trainee=trainee,
                    edition=edition,
                    actor=sponsor,
                    sponsor_company=company if sponsor else None,
                    sponsored_by=sponsor,
                )
            except EnrolmentError as error:
                logger.warning("Demo enrolment %s left out: %s", step, error)
                continue
            created["enrolments"] += 1
            continue
        key = step.get("cancel") or step.get("approve")
        enrolment = made.get((key, step["edition"]))
        if enrolment is None:
            continue
        enrolment.refresh_from_db()
        if enrolment.status not in ACTIVE_STATUSES:
            continue
        try:
            if "cancel" in step:
                enrolment_cancel(
                    enrolment=enrolment, actor=users[key], reason=step.get("reason", "")
                )
            else:
                enrolment_approve(enrolment=enrolment, actor=users[step["by"]])
        except EnrolmentError as error:
            logger.warning("Demo step %s left out: %s", step, error)
