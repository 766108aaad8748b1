"""A trainee's data export names who paid their places and their vouchers."""

import datetime
from decimal import Decimal

import pytest

from people.personal_data import personal_data_export
from tests.factories import PlaceFundingFactory, VoucherLineFactory

pytestmark = pytest.mark.django_db


def test_export_lists_the_trainees_funded_places_and_voucher():
    place = PlaceFundingFactory(
        line=VoucherLineFactory(),
        fund_share=Decimal("0.00"),
        trainee_share=Decimal("90.00"),
        voucher_number="RP-V-2026-0001",
        voucher_amount=Decimal("210.00"),
        voucher_granted_on=datetime.date(2026, 3, 2),
        isee_low=True,
    )
    other = PlaceFundingFactory()

    (row,) = personal_data_export(user=place.enrolment.trainee)["funding"]

    assert row["enrolment__edition__code"] == place.enrolment.edition.code
    assert row["line__funder"] == "Regione Piemonte"
    assert row["voucher_number"] == "RP-V-2026-0001"
    assert Decimal(str(row["voucher_amount"])) == Decimal("210.00")
    assert Decimal(str(row["trainee_share"])) == Decimal("90.00")
    assert row["voucher_granted_on"] == "2026-03-02"
    assert row["isee_low"] is True
    assert other.enrolment.edition.code not in str(
        personal_data_export(user=place.enrolment.trainee)
    )
