"""Demo funding (demo/data/funding.yaml): a Fondimpresa plan for the company's
employees, a company-paid place, Regione Piemonte vouchers (one refused over
the three-year allowance, the refusal recorded in the place's history) and the
Chamber's voucher to the company, partly spent. Every place and spending goes
through the funding services.

Idempotent: an edition, line, place, voucher or spending that exists is kept.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from courses.models import CourseEdition, CoursePage, EditionStatus, Venue
from enrolment.models import Enrolment, EnrolmentStatus
from funding.exceptions import FundingError
from funding.models import CompanyVoucher, FundingLine, PlaceFunding, VoucherSpending
from funding.services import (
    place_funding_save,
    voucher_refusal_record,
    voucher_spending_save,
)
from people.models import Company, User

from .data import data


def load_funding(
    *,
    users: dict[str, User],
    editions: dict[str, CourseEdition],
    courses: dict[str, CoursePage],
    venues: dict[str, Venue],
    company: Company,
    now: dt.datetime,
    created: Counter,
) -> None:
    plan = data("funding")
    today = timezone.localdate(now)
    known = dict(editions)
    for spec in plan["past_editions"]:
        known[spec["code"]] = _past_edition(
            spec, courses=courses, venues=venues, users=users, now=now, created=created
        )
    for spec in plan["lines"]:
        edition = (
            known.get(spec["edition"])
            or CourseEdition.objects.filter(code=spec["edition"]).first()
        )
        if edition is None:
            continue
        line = _line(spec, edition=edition, created=created)
        for who, shares in spec["places"].items():
            _place(line, users[who], shares, today=today, created=created)
    _company_voucher(
        plan["company_voucher"], company=company, today=today, created=created
    )


def _past_edition(spec, *, courses, venues, users, now, created) -> CourseEdition:
    edition = CourseEdition.objects.filter(code=spec["code"]).first()
    if edition is None:
        start = now - dt.timedelta(days=spec["days_ago"])
        edition = CourseEdition.objects.create(
            course=courses[spec["course"]],
            code=spec["code"],
            status=EditionStatus.COMPLETED,
            capacity=12,
            seats_taken=len(spec["trainees"]),
            enrolment_opens_at=start - dt.timedelta(days=60),
            enrolment_closes_at=start - dt.timedelta(days=1),
            venue=venues[spec["venue"]],
        )
        created["funding editions"] += 1
        for who in spec["trainees"]:
            Enrolment.objects.create(
                trainee=users[who], edition=edition, status=EnrolmentStatus.CONFIRMED
            )
            created["funding enrolments"] += 1
    return edition


def _line(spec, *, edition: CourseEdition, created: Counter) -> FundingLine:
    line = FundingLine.objects.filter(edition=edition, kind=spec["kind"]).first()
    if line is None:
        line = FundingLine(
            edition=edition,
            kind=spec["kind"],
            funder=spec.get("funder", ""),
            call_code=spec.get("call_code", ""),
            plan_code=spec.get("plan_code", ""),
            cup=spec.get("cup", ""),
            funded_hours=spec.get("funded_hours", 0),
            amount=Decimal(spec.get("amount", "0")),
        )
        line.full_clean()
        line.save()
        created["funding lines"] += 1
    return line


def _place(line, person: User, shares: dict, *, today, created: Counter) -> None:
    enrolment = Enrolment.objects.filter(
        trainee=person, edition=line.edition, status=EnrolmentStatus.CONFIRMED
    ).first()
    if enrolment is None or PlaceFunding.objects.filter(enrolment=enrolment).exists():
        return
    place = PlaceFunding(
        enrolment=enrolment,
        line=line,
        **{
            field: Decimal(shares[field])
            for field in ("company_share", "trainee_share", "fund_share")
            if field in shares
        },
    )
    voucher = shares.get("voucher")
    if voucher:
        place.voucher_number = voucher["number"]
        place.voucher_amount = Decimal(voucher["amount"])
        place.voucher_granted_on = today - dt.timedelta(days=voucher["days_ago"])
        place.isee_low = voucher.get("isee_low", False)
    try:
        place_funding_save(place=place)
    except FundingError as refused:
        # What staff would do: the place is paid by the trainee, the refusal
        # kept in its history.
        number = place.voucher_number
        place.voucher_number, place.voucher_amount = "", None
        place.voucher_granted_on = None
        place_funding_save(place=place)
        voucher_refusal_record(place=place, number=number, reason=str(refused))
    created["place funding"] += 1


def _company_voucher(spec, *, company: Company, today, created: Counter) -> None:
    if CompanyVoucher.objects.filter(reference=spec["reference"]).exists():
        return
    voucher = CompanyVoucher.objects.create(
        company=company,
        reference=spec["reference"],
        amount_granted=Decimal(spec["amount_granted"]),
        granted_on=today - dt.timedelta(days=spec["days_ago"]),
        notes=spec.get("notes", ""),
    )
    created["company vouchers"] += 1
    for item in spec["spendings"]:
        voucher_spending_save(
            spending=VoucherSpending(
                voucher=voucher,
                description=item["description"],
                amount=Decimal(item["amount"]),
                spent_on=today - dt.timedelta(days=item["days_ago"]),
            )
        )
        created["voucher spendings"] += 1
