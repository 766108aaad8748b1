"""The funding demo: a fund's plan, a company-paid place, regional vouchers
with one refused over the three-year allowance, a company voucher partly
spent; what staff and the company manager see of them."""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from funding.models import CompanyVoucher, FundingLine, PlaceFunding
from funding.selectors import company_vouchers
from people.models import User
from tests.demo.test_load_demo import _media, clock, load  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_funding_demo(client, clock):  # noqa: F811
    load()
    kinds = set(FundingLine.objects.values_list("kind", flat=True))
    assert {"fondo", "company", "regional_voucher"} <= kinds
    refused = PlaceFunding.objects.get(
        line__edition__code="AM-201-LIVE",
        enrolment__trainee__email="allievo2@makers-school.example",
    )
    assert refused.voucher_amount is None
    assert refused.trainee_share == Decimal("680.00")
    entry = ModelLogEntry.objects.get(action="makers.funding.voucher_refused")
    assert entry.object_id == str(refused.pk)
    assert entry.data["number"] == "RP-V-2025-0705"
    assert "600" in entry.data["reason"]
    assert PlaceFunding.objects.filter(voucher_amount__isnull=False).count() == 5
    voucher = company_vouchers().get(reference="CCIAA-TO-MTC-2025-017")
    assert voucher.left == Decimal("33500.00")

    manager = User.objects.get(email="azienda@makers-school.example")
    client.force_login(manager)
    page = client.get(reverse("funding:company_funding"))
    assert page.status_code == 200
    assert "Fondimpresa" in page.content.decode()
    assert "CCIAA-TO-MTC-2025-017" in page.content.decode()

    counts = (FundingLine.objects.count(), PlaceFunding.objects.count())
    load()
    assert (FundingLine.objects.count(), PlaceFunding.objects.count()) == counts
    assert CompanyVoucher.objects.count() == 1
