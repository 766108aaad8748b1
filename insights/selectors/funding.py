"""Funding: places, funded hours and amounts by kind of fund or by company,
and company vouchers spent against what was granted. Grouped queries; the
vouchers through funding.selectors.company_vouchers."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from funding.models import ZERO, FundingKind, FundingLine, PlaceFunding
from funding.selectors import company_vouchers

from .base import Figures, ReportFilters, editions_filtered

BY_CHOICES = ("kind", "company", "voucher")


def _places(filters: ReportFilters):
    places = PlaceFunding.objects.filter(
        enrolment__edition__in=editions_filtered(filters).values("pk")
    )
    if filters.kind:
        places = places.filter(line__kind=filters.kind)
    if filters.company:
        places = places.filter(enrolment__sponsor_company_id=filters.company)
    return places


def _amounts():
    return {
        "places": Count("pk"),
        "company": Coalesce(Sum("company_share"), ZERO),
        "trainee": Coalesce(Sum("trainee_share"), ZERO),
        "fund": Coalesce(Sum("fund_share"), ZERO),
        "voucher": Coalesce(Sum("voucher_amount"), ZERO),
    }


CENTS = Decimal("0.01")


def _money(value) -> Decimal:
    """Amounts to the cent (SQLite's sums lose the scale)."""
    return Decimal(value or 0).quantize(CENTS)


def _money_columns() -> list[str]:
    return [
        _("Company (EUR)"),
        _("Trainee (EUR)"),
        _("Fund (EUR)"),
        _("Voucher (EUR)"),
    ]


def funding_by_kind(*, filters: ReportFilters) -> Figures:
    lines = FundingLine.objects.filter(
        edition__in=editions_filtered(filters).values("pk")
    )
    if filters.kind:
        lines = lines.filter(kind=filters.kind)
    hours = dict(
        lines.values("kind").annotate(h=Sum("funded_hours")).values_list("kind", "h")
    )
    amounts = {
        row["line__kind"]: row
        for row in _places(filters).values("line__kind").annotate(**_amounts())
    }
    figures = Figures(
        columns=[_("Fund"), _("Funded hours"), _("Places"), *_money_columns()],
        charted=(3, 4, 5, 6),
    )
    for kind in FundingKind:
        if kind not in hours and kind not in amounts:
            continue
        row = amounts.get(kind, {})
        figures.rows.append(
            [
                str(kind.label),
                hours.get(kind) or 0,
                row.get("places", 0),
                *(
                    _money(row.get(k))
                    for k in ("company", "trainee", "fund", "voucher")
                ),
            ]
        )
    return figures


def funding_by_company(*, filters: ReportFilters) -> Figures:
    rows = (
        _places(filters)
        .values(name=F("enrolment__sponsor_company__name"))
        .annotate(**_amounts())
        .order_by("name")
    )
    figures = Figures(
        columns=[_("Company"), _("Places"), *_money_columns()], charted=(2, 3, 4, 5)
    )
    for row in rows:
        figures.rows.append(
            [
                row["name"] or _("No company"),
                row["places"],
                *(_money(row[k]) for k in ("company", "trainee", "fund", "voucher")),
            ]
        )
    return figures


def vouchers_used(*, filters: ReportFilters) -> Figures:
    start, end = filters.period()
    vouchers = company_vouchers().filter(granted_on__lte=end)
    if filters.company:
        vouchers = vouchers.filter(company_id=filters.company)
    figures = Figures(
        columns=[_("Voucher"), _("Granted (EUR)"), _("Spent (EUR)"), _("Left (EUR)")],
        charted=(1, 2),
    )
    for voucher in vouchers[:100]:
        figures.rows.append(
            [
                f"{voucher.reference} ({voucher.company.name})",
                _money(voucher.amount_granted),
                _money(voucher.spent),
                _money(voucher.left),
            ]
        )
    return figures


def funding_report(*, filters: ReportFilters) -> Figures:
    if filters.by == "company":
        return funding_by_company(filters=filters)
    if filters.by == "voucher":
        return vouchers_used(filters=filters)
    return funding_by_kind(filters=filters)


def funded_hours(*, year: int) -> int:
    lines = FundingLine.objects.filter(edition__sessions__start__year=year).distinct()
    return FundingLine.objects.filter(pk__in=lines.values("pk")).aggregate(
        h=Coalesce(Sum("funded_hours"), 0)
    )["h"]
