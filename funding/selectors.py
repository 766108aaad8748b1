"""Every read of funding: the voucher rules and a person's remaining
allowance, what a company voucher has left, and the funder's figures of a
funding line (places, hours delivered and attended, amounts by payer), for
staff and for a company's managers. Fixed query counts whatever the number
of places."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from attendance.selectors import enrolments_attendance
from courses.models import Session
from people.models import Company, User

from .models import ZERO, CompanyVoucher, FundingLine, PlaceFunding, VoucherRules

MONEY = DecimalField(max_digits=12, decimal_places=2)


def voucher_rules() -> VoucherRules:
    """The rules in force (the defaults until staff change them)."""
    return VoucherRules.load()


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same date `years` later; 29 February becomes 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same date `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return datetime.date(day.year - years, 2, 28)


def voucher_allowance_remaining(
    *,
    person: User,
    on: datetime.date,
    rules: VoucherRules | None = None,
    exclude: int | None = None,
) -> Decimal:
    """What a voucher granted to `person` on `on` may still amount to: the
    allowance less the most that the person's other vouchers add up to in any
    window of the rules' years (from a grant date, the end excluded: a voucher
    granted on 1 March 2023 counts until 28 February 2026) that contains `on`.
    Never below zero. `exclude` is the place being changed."""
    rules = rules or voucher_rules()
    first = years_before(on, rules.years) + datetime.timedelta(days=1)
    grants = list(
        PlaceFunding.objects.filter(
            enrolment__trainee=person,
            voucher_granted_on__gte=first,
            voucher_granted_on__lt=years_after(on, rules.years),
        )
        .exclude(pk=exclude)
        .values_list("voucher_granted_on", "voucher_amount")
    )
    # A window gains a grant g when its start passes g less the years: the
    # fullest windows start at `first` or just as a grant enters.
    one_day = datetime.timedelta(days=1)
    entering = {years_before(day, rules.years) + one_day for day, _ in grants}
    starts = {first, on} | {s for s in entering if first <= s <= on}
    most = max(
        (
            sum((a for d, a in grants if s <= d < years_after(s, rules.years)), ZERO)
            for s in starts
        ),
        default=ZERO,
    )
    return max(rules.allowance - most, ZERO)


def voucher_spent(*, voucher: CompanyVoucher, exclude: int | None = None) -> Decimal:
    spendings = voucher.spendings.exclude(pk=exclude)
    return spendings.aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]


def company_vouchers(*, company: Company | None = None) -> QuerySet[CompanyVoucher]:
    """Vouchers with `spent` and `left` annotated."""
    vouchers = (
        CompanyVoucher.objects.select_related("company")
        .annotate(spent=Coalesce(Sum("spendings__amount"), ZERO, output_field=MONEY))
        .annotate(left=ExpressionWrapper(F("amount_granted") - F("spent"), MONEY))
    )
    if company is not None:
        vouchers = vouchers.filter(company=company)
    return vouchers.order_by("-granted_on", "reference")


@dataclass
class PlaceRow:
    """One place of a funding line as a funder reads it."""

    place: PlaceFunding
    minutes_delivered: int
    minutes_attended: int
    company_voucher: Decimal

    @property
    def trainee(self) -> User:
        return self.place.enrolment.trainee

    @property
    def hours_delivered(self) -> Decimal:
        return (Decimal(self.minutes_delivered) / 60).quantize(Decimal("0.01"))

    @property
    def hours_attended(self) -> Decimal:
        return (Decimal(self.minutes_attended) / 60).quantize(Decimal("0.01"))

    @property
    def amounts(self) -> dict[str, Decimal]:
        """Amounts by payer (PAYERS), then the place's total."""
        place = self.place
        amounts = {
            "company_share": place.company_share,
            "trainee_share": place.trainee_share,
            "fund_share": place.fund_share,
            "voucher": place.voucher_amount or ZERO,
            "company_voucher": self.company_voucher,
        }
        amounts["total"] = sum(amounts.values(), ZERO)
        return amounts


PAYERS = ("company_share", "trainee_share", "fund_share", "voucher", "company_voucher")


@dataclass
class LineReport:
    line: FundingLine
    rows: list[PlaceRow]

    def totals(self) -> dict[str, Decimal]:
        sums = dict.fromkeys((*PAYERS, "total"), ZERO)
        for row in self.rows:
            for payer, amount in row.amounts.items():
                sums[payer] += amount
        return sums


def _minutes_delivered(*, edition_ids: set[int], now: datetime.datetime) -> dict:
    """Minutes of each edition's sessions held so far (ended, not cancelled)."""
    delivered: dict[int, int] = dict.fromkeys(edition_ids, 0)
    sessions = Session.objects.filter(
        edition_id__in=edition_ids, cancelled=False, end__lte=now
    ).values_list("edition_id", "start", "end")
    for edition_id, start, end in sessions:
        delivered[edition_id] += int((end - start).total_seconds() // 60)
    return delivered


def _report_rows(places: QuerySet[PlaceFunding]) -> list[PlaceRow]:
    """Four queries whatever the number of places: places, sessions held,
    attendance, and nothing per row."""
    places = list(
        places.select_related(
            "line__edition",
            "enrolment__trainee",
            "enrolment__edition",
            "enrolment__sponsor_company",
        )
        .annotate(spent=Coalesce(Sum("enrolment__voucher_spendings__amount"), ZERO))
        .order_by(
            "line_id",
            "enrolment__trainee__last_name",
            "enrolment__trainee__first_name",
            "pk",
        )
    )
    enrolments = [place.enrolment for place in places]
    figures = enrolments_attendance(enrolments=enrolments) if enrolments else {}
    delivered = _minutes_delivered(
        edition_ids={e.edition_id for e in enrolments}, now=timezone.now()
    )
    rows = []
    for place in places:
        attendance = figures.get(place.enrolment_id)
        rows.append(
            PlaceRow(
                place=place,
                minutes_delivered=delivered[place.enrolment.edition_id],
                minutes_attended=attendance.minutes_present if attendance else 0,
                company_voucher=place.spent,
            )
        )
    return rows


def funding_line_report(*, line: FundingLine) -> LineReport:
    """Every place of the line with its hours and amounts by payer."""
    return LineReport(line=line, rows=_report_rows(line.places.all()))


def company_funding_reports(*, company: Company) -> list[LineReport]:
    """The same figures for the places the company sponsors (the employees it
    enrolled), one report per funding line. A place an employee took on their
    own, with their own voucher, is not the company's to see."""
    places = PlaceFunding.objects.filter(enrolment__sponsor_company=company)
    reports: dict[int, LineReport] = {}
    for row in _report_rows(places):
        line = row.place.line
        reports.setdefault(line.pk, LineReport(line=line, rows=[])).rows.append(row)
    return list(reports.values())


def funding_lines(*, edition_id: int | None = None) -> QuerySet[FundingLine]:
    lines = FundingLine.objects.select_related("edition__course")
    if edition_id is not None:
        lines = lines.filter(edition_id=edition_id)
    return lines.order_by("-edition__enrolment_opens_at", "pk")
