"""The funding services' rules, each at its boundary, on fixed dates."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from funding import services
from funding.exceptions import FundingError
from funding.models import PlaceFunding, VoucherRules, VoucherSpending
from funding.selectors import voucher_allowance_remaining
from tests.factories import (
    CompanyMemberFactory,
    CompanyVoucherFactory,
    ConfirmedEnrolmentFactory,
    CourseEditionFactory,
    FundingLineFactory,
    PlaceFundingFactory,
    TraineeFactory,
    VoucherLineFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site")]

D = Decimal
GRANT = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _in_english():
    """The assertions read the services' refusals in English; the messages are
    lazy, so they are read in the language active when str() runs."""
    with translation.override("en"):
        yield


def _voucher_place(trainee, *, amount, on=GRANT, price="5000.00", isee_low=False):
    """An unsaved voucher place for `trainee` in a new edition of a course of
    `price`."""
    edition = CourseEditionFactory(course__price=D(price))
    line = VoucherLineFactory(edition=edition)
    enrolment = ConfirmedEnrolmentFactory(trainee=trainee, edition=edition)
    return PlaceFunding(
        enrolment=enrolment,
        line=line,
        voucher_number=f"V-{enrolment.pk}",
        voucher_amount=D(amount),
        voucher_granted_on=on,
        isee_low=isee_low,
    )


def _save(place):
    with translation.override("en"):
        return services.place_funding_save(place=place)


def test_exactly_the_allowance_is_accepted_a_cent_more_refused():
    trainee = TraineeFactory()
    _save(_voucher_place(trainee, amount="2000.00"))
    _save(_voucher_place(trainee, amount="1000.00"))
    assert PlaceFunding.objects.filter(enrolment__trainee=trainee).count() == 2

    other = TraineeFactory(first_name="Anna", last_name="Ferrero")
    _save(_voucher_place(other, amount="2000.00"))
    with pytest.raises(FundingError) as refused:
        _save(_voucher_place(other, amount="1000.01"))
    message = str(refused.value)
    assert "three-year rule" in message
    assert "EUR 1,000.00 left" in message
    assert "Anna Ferrero" in message
    assert PlaceFunding.objects.filter(enrolment__trainee=other).count() == 1


def test_seventy_percent_of_the_cost_without_low_isee():
    trainee = TraineeFactory()
    _save(_voucher_place(trainee, amount="700.00", price="1000.00"))
    with pytest.raises(FundingError) as refused:
        _save(_voucher_place(trainee, amount="700.01", price="1000.00"))
    assert "70 % of the course cost" in str(refused.value)
    assert "EUR 2,300.00 left" in str(refused.value)  # of the allowance


def test_the_whole_cost_with_an_isee_of_ten_thousand_or_less():
    trainee = TraineeFactory()
    _save(_voucher_place(trainee, amount="1000.00", price="1000.00", isee_low=True))
    with pytest.raises(FundingError) as refused:
        _save(_voucher_place(trainee, amount="1000.01", price="1000.00", isee_low=True))
    assert "100 % of the course cost" in str(refused.value)


@pytest.mark.parametrize(
    ("second_on", "allowed"),
    [
        (datetime.date(2029, 3, 1), False),  # last day of the first grant's window
        (datetime.date(2029, 3, 2), True),  # three years on: the first is out
        (datetime.date(2023, 3, 3), False),  # before it, inside its window
        (datetime.date(2023, 3, 2), True),  # three years before: no common window
    ],
)
def test_the_three_year_window_edges(second_on, allowed):
    trainee = TraineeFactory()
    _save(_voucher_place(trainee, amount="3000.00", on=GRANT))
    second = _voucher_place(trainee, amount="1.00", on=second_on)
    if allowed:
        _save(second)
    else:
        with pytest.raises(FundingError, match="three-year rule"):
            _save(second)


def test_any_window_counts_not_only_the_one_ending_at_the_grant():
    """Grants of 1,500 on 1 June 2024 and on 1 December 2026: a voucher of
    1 June 2025 sits in the window from 1 June 2024 with both, so nothing is
    left, though neither window ending or starting at it alone is full. Grants
    more than three years apart never share a window."""
    trainee = TraineeFactory()
    _save(_voucher_place(trainee, amount="1500.00", on=datetime.date(2024, 6, 1)))
    _save(_voucher_place(trainee, amount="1500.00", on=datetime.date(2026, 12, 1)))
    remaining = voucher_allowance_remaining
    assert remaining(person=trainee, on=datetime.date(2025, 6, 1)) == D("0.00")
    assert remaining(person=trainee, on=datetime.date(2029, 11, 30)) == D("1500.00")
    assert remaining(person=trainee, on=datetime.date(2029, 12, 1)) == D("3000.00")


def test_rules_changed_by_staff_apply():
    rules = VoucherRules.load()
    rules.allowance = D("4000.00")
    rules.share_percent = 80
    rules.save()
    trainee = TraineeFactory()
    _save(_voucher_place(trainee, amount="3200.00", price="4000.00"))


def test_a_voucher_only_on_a_voucher_line_and_only_complete():
    place = PlaceFundingFactory.build(
        line=FundingLineFactory(),
        enrolment=ConfirmedEnrolmentFactory(),
        voucher_number="V-1",
        voucher_amount=D("100.00"),
        voucher_granted_on=GRANT,
    )
    place.enrolment.edition = place.line.edition
    place.enrolment.save()
    with pytest.raises(FundingError, match="regional voucher funding line"):
        _save(place)
    place = _voucher_place(TraineeFactory(), amount="100.00")
    place.voucher_number = ""
    with pytest.raises(FundingError, match="needs its number"):
        _save(place)
    assert not PlaceFunding.objects.exists()


def test_the_line_must_be_of_the_place_edition():
    line = FundingLineFactory()
    enrolment = ConfirmedEnrolmentFactory()
    with pytest.raises(FundingError, match="belongs to edition"):
        _save(PlaceFunding(line=line, enrolment=enrolment))
    assert not PlaceFunding.objects.exists()


def test_a_company_voucher_pays_up_to_what_was_granted():
    voucher = CompanyVoucherFactory(amount_granted=D("20000.00"))
    member = CompanyMemberFactory(company=voucher.company)
    place = ConfirmedEnrolmentFactory(
        trainee=member.user, sponsor_company=voucher.company
    )
    services.voucher_spending_save(
        spending=VoucherSpending(
            voucher=voucher,
            place=place,
            description="Posto AM-101",
            amount=D("15000.00"),
            spent_on=GRANT,
        )
    )
    services.voucher_spending_save(
        spending=VoucherSpending(
            voucher=voucher, description="Audit", amount=D("5000.00"), spent_on=GRANT
        )
    )
    with translation.override("en"), pytest.raises(FundingError) as refused:
        services.voucher_spending_save(
            spending=VoucherSpending(
                voucher=voucher, description="More", amount=D("0.01"), spent_on=GRANT
            )
        )
    assert "has EUR 0.00 left of EUR 20,000.00" in str(refused.value)
    assert voucher.spendings.count() == 2


def test_a_company_voucher_pays_only_its_company_places():
    voucher = CompanyVoucherFactory()
    place = ConfirmedEnrolmentFactory()
    with pytest.raises(FundingError, match="not sponsored by"):
        services.voucher_spending_save(
            spending=VoucherSpending(
                voucher=voucher,
                place=place,
                description="Posto",
                amount=D("10.00"),
                spent_on=GRANT,
            )
        )
    assert not VoucherSpending.objects.exists()
