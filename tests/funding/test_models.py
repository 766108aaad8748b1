"""What the database itself refuses, whatever path writes the row."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from funding.models import FundingLine, PlaceFunding, VoucherSpending
from tests.factories import (
    CompanyVoucherFactory,
    CourseEditionFactory,
    FundingLineFactory,
    PlaceFundingFactory,
    VoucherLineFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site")]


def _refused(factory, **kwargs):
    # PostgreSQL refuses a value longer than its column before any check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        factory(**kwargs)


@pytest.mark.parametrize(
    "cup", ["J11B2600038000", "J11B260003800071", "j11b26000380007", "111B26000380007"]
)
def test_a_malformed_cup_is_refused(cup):
    edition = CourseEditionFactory()
    _refused(VoucherLineFactory, edition=edition, cup=cup)
    line = FundingLine(edition=edition, kind="public_call", cup=cup)
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "cup" in error.value.message_dict


def test_a_well_formed_cup_is_stored():
    assert VoucherLineFactory(cup="E61B20000350001").cup == "E61B20000350001"


@pytest.mark.parametrize("kind", ["regional_voucher", "public_call"])
def test_public_money_needs_its_cup(kind):
    _refused(FundingLineFactory, kind=kind, cup="")
    line = FundingLine(edition=CourseEditionFactory(), kind=kind)
    with pytest.raises(ValidationError, match="CUP"):
        line.full_clean()


@pytest.mark.parametrize("kind", ["fondo", "company", "free"])
def test_private_money_needs_no_cup(kind):
    assert FundingLineFactory(kind=kind, cup="").pk


def test_negative_amounts_are_refused():
    _refused(FundingLineFactory, amount=Decimal("-0.01"))
    _refused(PlaceFundingFactory, company_share=Decimal("-1"))
    _refused(PlaceFundingFactory, trainee_share=Decimal("-1"))


@pytest.mark.parametrize(
    "voucher",
    [
        {"voucher_number": "V-1"},
        {"voucher_amount": Decimal("100")},
        {"voucher_number": "V-1", "voucher_amount": Decimal("100")},
        {
            "voucher_number": "V-1",
            "voucher_amount": Decimal("0"),
            "voucher_granted_on": datetime.date(2026, 3, 2),
        },
    ],
)
def test_a_voucher_is_all_of_number_amount_and_date(voucher):
    _refused(PlaceFundingFactory, line=VoucherLineFactory(), **voucher)


def test_a_voucher_number_is_used_once():
    line = VoucherLineFactory()
    voucher = {
        "voucher_number": "V-1",
        "voucher_amount": Decimal("100"),
        "voucher_granted_on": datetime.date(2026, 3, 2),
    }
    PlaceFundingFactory(line=line, **voucher)
    _refused(PlaceFundingFactory, line=line, **voucher)
    assert PlaceFunding.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "stored"),
    [("19999.99", False), ("20000", True), ("200000", True), ("200000.01", False)],
)
def test_a_company_voucher_is_within_the_scheme(amount, stored):
    if stored:
        assert CompanyVoucherFactory(amount_granted=Decimal(amount)).pk
    else:
        _refused(CompanyVoucherFactory, amount_granted=Decimal(amount))


def test_a_spending_is_positive():
    voucher = CompanyVoucherFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherSpending.objects.create(
            voucher=voucher,
            description="x",
            amount=Decimal("0"),
            spent_on=datetime.date(2026, 3, 2),
        )
