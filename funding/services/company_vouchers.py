"""What a company voucher pays for, within what was granted."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from core.audit import audit_log
from core.locking import LockTimeout, row_lock
from people.models import User

from ..exceptions import refuse_funding
from ..models import CompanyVoucher, VoucherSpending
from ..selectors import voucher_spent


def _euro(value) -> str:
    return f"{value:,.2f}"


@transaction.atomic
def voucher_spending_save(
    *,
    spending: VoucherSpending,
    actor: User | None = None,
    save: Callable[[], VoucherSpending] | None = None,
) -> VoucherSpending:
    """Record (or change) what a company voucher pays for. The voucher's row is
    locked, then what it already paid (this spending aside) plus this amount
    must not pass what was granted; a place must be one the voucher's company
    sponsors. `save` is the admin form's own save; without it the row is saved
    here and audited."""
    voucher = _voucher_lock(voucher_id=spending.voucher_id)
    place = spending.place
    if place is not None and place.sponsor_company_id != voucher.company_id:
        raise refuse_funding(
            "company_voucher_other_company",
            field="place",
            company=voucher.company.name,
            reference=voucher.reference,
        )
    spent = voucher_spent(voucher=voucher, exclude=spending.pk)
    left = voucher.amount_granted - spent
    if spending.amount is not None and spending.amount > left:
        raise refuse_funding(
            "company_voucher_exceeded",
            field="amount",
            reference=voucher.reference,
            left=_euro(left),
            granted=_euro(voucher.amount_granted),
            amount=_euro(spending.amount),
        )
    spending.full_clean()
    if save is not None:
        return save()
    spending.created_by = actor
    spending.save()
    audit_log(
        instance=voucher,
        action="makers.funding.voucher_spent",
        user=actor,
        data={"amount": str(spending.amount), "description": spending.description},
    )
    return spending


def _voucher_lock(*, voucher_id: int) -> CompanyVoucher:
    vouchers = CompanyVoucher.objects.filter(pk=voucher_id).select_related("company")
    try:
        return row_lock(vouchers, of=("self",))
    except LockTimeout as busy:
        raise refuse_funding("busy") from busy
