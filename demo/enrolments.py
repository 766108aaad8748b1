"""Demo enrolments in several states, made only through the public enrolment
services (see demo/data/enrolments.yaml for the plan)."""

from collections import Counter

from courses.models import CourseEdition
from enrolment.models import ACTIVE_STATUSES, Enrolment
from enrolment.services import (
    enrolment_approve,
    enrolment_cancel,
    enrolment_create,
)
from people.models import Company, User

from .data import data


def load_enrolments(
    *,
    users: dict[str, User],
    editions: dict[str, CourseEdition],
    company: Company,
    created: Counter,
) -> None:
    """Run the plan's steps. An enrolment the trainee already has is skipped, and
    a cancel or approve step acts only on an enrolment made by this very load."""
    made: dict[tuple[str, str], Enrolment] = {}
    for step in data("enrolments")["steps"]:
        edition = editions[step["edition"]]
        if "enrol" in step:
            trainee = users[step["enrol"]]
            if Enrolment.objects.filter(trainee=trainee, edition=edition).exists():
                continue
            sponsor = users.get(step.get("sponsor", ""))
            made[step["enrol"], step["edition"]] = enrolment_create(
                trainee=trainee,
                edition=edition,
                actor=sponsor,
                sponsor_company=company if sponsor else None,
                sponsored_by=sponsor,
            )
            created["enrolments"] += 1
            continue
        key = step.get("cancel") or step.get("approve")
        enrolment = made.get((key, step["edition"]))
        if enrolment is None:
            continue
        enrolment.refresh_from_db()
        if enrolment.status not in ACTIVE_STATUSES:
            continue
        if "cancel" in step:
            enrolment_cancel(
                enrolment=enrolment, actor=users[key], reason=step.get("reason", "")
            )
        else:
            enrolment_approve(enrolment=enrolment, actor=users[step["by"]])
