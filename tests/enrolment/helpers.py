from courses.models import CourseEdition
from enrolment.models import SEAT_STATUSES, Enrolment, EnrolmentStatus


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
