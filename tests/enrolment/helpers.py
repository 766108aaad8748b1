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


# tests.factories.TraineeFactory/StaffFactory set `role` as a plain attribute, which
# shadows UserFactory's post-generation hook and reaches User() as a field; these
# pass the role through the hook instead.
def TraineeFactory(**kwargs):  # noqa: N802
    from people.models import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.TRAINEE, **kwargs)


def StaffFactory(**kwargs):  # noqa: N802
    from people.models import Role
    from tests.factories import UserFactory

    kwargs.setdefault("is_staff", True)
    kwargs.setdefault("is_superuser", True)
    return UserFactory(role=Role.STAFF, **kwargs)


_company_numbers = iter(range(1, 10_000_000))


def CompanyFactory(**kwargs):  # noqa: N802
    """tests.factories.CompanyFactory calls a check-digit helper stdnum.it.iva
    lacks; the partita IVA check digit is Luhn's."""
    from stdnum import luhn

    from tests.factories import CompanyFactory as SharedCompanyFactory

    base = f"{next(_company_numbers):07d}001"
    kwargs.setdefault("partita_iva", base + luhn.calc_check_digit(base))
    return SharedCompanyFactory(**kwargs)


def CompanyMemberFactory(**kwargs):  # noqa: N802
    from tests.factories import CompanyMemberFactory as SharedMemberFactory

    if "company" not in kwargs:
        kwargs["company"] = CompanyFactory()
    return SharedMemberFactory(**kwargs)
