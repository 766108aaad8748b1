"""Two vouchers claimed at once for one person: the lock on the person's row
makes the second see the first (PostgreSQL, one connection per thread)."""

import datetime
from decimal import Decimal

import pytest

from funding import services
from funding.exceptions import FundingError
from funding.models import PlaceFunding
from tests import concurrency
from tests.factories import (
    ConfirmedEnrolmentFactory,
    CourseEditionFactory,
    TraineeFactory,
    VoucherLineFactory,
    site_tree,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
    pytest.mark.xdist_group("funding_races"),
]


def _place(trainee, number: int) -> PlaceFunding:
    edition = CourseEditionFactory(course__price=Decimal("5000.00"))
    return PlaceFunding(
        enrolment=ConfirmedEnrolmentFactory(trainee=trainee, edition=edition),
        line=VoucherLineFactory(edition=edition),
        voucher_number=f"V-RACE-{number}",
        voucher_amount=Decimal("2000.00"),
        voucher_granted_on=datetime.date(2026, 3, 2),
    )


@pytest.mark.parametrize("attempt", range(3))
def test_two_vouchers_at_once_for_one_person_cannot_both_pass(attempt):
    site_tree()
    trainee = TraineeFactory()
    places = [_place(trainee, number) for number in range(2)]
    refusals, errors = concurrency.run_at_once(
        [lambda p=p: services.place_funding_save(place=p) for p in places],
        refusal=FundingError,
        language="en",
    )
    assert errors == []
    assert len(refusals) == 1
    assert "three-year rule" in refusals[0]
    assert "EUR 1,000.00 left" in refusals[0]
    assert PlaceFunding.objects.filter(enrolment__trainee=trainee).count() == 1
