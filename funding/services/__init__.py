"""Every write of funding: who pays each place (with the individual voucher's
rules) and what a company voucher pays for (within what was granted)."""

from .company_vouchers import voucher_spending_save
from .places import place_funding_save, voucher_refusal_record

__all__ = ["place_funding_save", "voucher_refusal_record", "voucher_spending_save"]
