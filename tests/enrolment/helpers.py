from django.test import TestCase

from courses.models import CourseEdition
from enrolment import services
from enrolment.models import SEAT_STATUSES, Enrolment, EnrolmentStatus
from tests.factories import TraineeFactory


def enrol(edition: CourseEdition, trainee=None, **kwargs) -> Enrolment:
    """enrolment_create as a request runs it: committed, so what it does after
    commit (the enrolment's audit entry, the email, the page refresh) has run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.enrolment_create(
            trainee=trainee or TraineeFactory(), edition=edition, **kwargs
        )


def assert_invariants(edition: CourseEdition) -> None:
    """seats_taken matches the rows and waitlist positions are exactly 1..n."""
    edition.refresh_from_db()
    held = Enrolment.objects.filter(edition=edition, status__in=SEAT_STATUSES).count()
    assert edition.seats_taken == held
    positions = sorted(
        Enrolment.objects.filter(
            edition=edition, status=EnrolmentStatus.WAITLISTED
        ).values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, len(positions) + 1))
    if positions:
        assert held >= edition.capacity
