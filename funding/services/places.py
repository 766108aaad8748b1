"""Who pays each place, and the individual voucher's rules."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from core.audit import audit_log
from core.locking import LockTimeout, row_lock
from people.models import User

from ..exceptions import refuse_funding
from ..models import FundingKind, PlaceFunding, VoucherRules
from ..selectors import voucher_allowance_remaining, voucher_rules

CENT = Decimal("0.01")


def _euro(value: Decimal) -> str:
    return f"{value:,.2f}"


@transaction.atomic
def place_funding_save(
    *,
    place: PlaceFunding,
    actor: User | None = None,
    save: Callable[[], PlaceFunding] | None = None,
) -> PlaceFunding:
    """Record who pays a place. The funding line must be one of the place's
    edition; a voucher only on a regional voucher line, within the voucher
    rules (voucher_check). The trainee's row stays locked until commit, so two
    places claimed at once for one person are checked one after the other.
    `save` is the admin form's own save (Wagtail's, with its log entry); without
    it the row is saved here and audited."""
    enrolment = place.enrolment
    line = place.line
    if line.edition_id != enrolment.edition_id:
        raise refuse_funding(
            "other_edition",
            field="line",
            line=str(line),
            line_edition=line.edition.code,
            edition=enrolment.edition.code,
        )
    if place.voucher_number or place.voucher_amount or place.voucher_granted_on:
        voucher_check(place=place)
    place.full_clean()
    if save is not None:
        return save()
    place.save()
    audit_log(
        instance=place,
        action="makers.funding.place_saved",
        user=actor,
        data={"line": line.pk, "voucher": str(place.voucher_amount or "")},
    )
    return place


def voucher_check(*, place: PlaceFunding) -> None:
    """The individual voucher's rules (VoucherRules): a complete voucher, on a
    regional voucher line, covering at most the rules' share of the course
    cost, and within the person's allowance over any window of the rules'
    years around its grant date. Locks the trainee's row first."""
    if place.line.kind != FundingKind.REGIONAL_VOUCHER:
        raise refuse_funding("voucher_needs_voucher_line", field="line")
    if not (place.voucher_number and place.voucher_amount and place.voucher_granted_on):
        raise refuse_funding("voucher_incomplete", field="voucher_number")
    person = place.enrolment.trainee
    try:
        row_lock(User.objects.filter(pk=person.pk), no_key=True)
    except LockTimeout as busy:
        raise refuse_funding("busy") from busy
    rules = voucher_rules()
    remaining = voucher_allowance_remaining(
        person=person, on=place.voucher_granted_on, rules=rules, exclude=place.pk
    )
    amount = place.voucher_amount
    _share_check(place=place, rules=rules, remaining=remaining)
    if amount > remaining:
        raise refuse_funding(
            "voucher_over_allowance",
            field="voucher_amount",
            limit=_euro(rules.allowance),
            years=rules.years,
            person=person.get_full_name() or person.email,
            remaining=_euro(remaining),
            date=place.voucher_granted_on.isoformat(),
            amount=_euro(amount),
        )


def _share_check(*, place: PlaceFunding, rules: VoucherRules, remaining: Decimal):
    cost = place.enrolment.edition.course.price
    percent = rules.low_isee_share_percent if place.isee_low else rules.share_percent
    cap = (cost * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    if place.voucher_amount > cap:
        person = place.enrolment.trainee
        raise refuse_funding(
            "voucher_over_share",
            field="voucher_amount",
            percent=percent,
            cost=_euro(cost),
            cap=_euro(cap),
            amount=_euro(place.voucher_amount),
            person=person.get_full_name() or person.email,
            remaining=_euro(remaining),
        )


def voucher_refusal_record(
    *, place: PlaceFunding, number: str, reason: str, actor: User | None = None
) -> None:
    """Keep a refused voucher in the place's history (the admin's History of
    the place funding): its number and the refusal's message."""
    audit_log(
        instance=place,
        action="makers.funding.voucher_refused",
        user=actor,
        data={"number": number, "reason": reason},
    )
