"""Refusals of the funding services: one exception, its messages here."""

from django.utils.translation import gettext_lazy as _


class FundingError(Exception):
    """A refused funding operation; the message is shown to the user as is.
    `field` names the form field the refusal is about, if one."""

    def __init__(self, message, code: str = "refused", field: str | None = None, **p):
        self.code = code
        self.field = field
        self.params = p
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return str(self.message % self.params) if self.params else str(self.message)


FUNDING_MESSAGES = {
    "other_edition": _(
        "The funding line %(line)s belongs to edition %(line_edition)s, not to "
        "edition %(edition)s of this place."
    ),
    "voucher_needs_voucher_line": _(
        "A voucher can be recorded only on a regional voucher funding line."
    ),
    "voucher_incomplete": _(
        "A voucher needs its number, its amount and the date it was granted."
    ),
    "voucher_over_allowance": _(
        "Voucher refused by the three-year rule: at most EUR %(limit)s per person "
        "over any %(years)s years. %(person)s has EUR %(remaining)s left in the "
        "years around %(date)s; this voucher is EUR %(amount)s."
    ),
    "voucher_over_share": _(
        "Voucher refused by the course-cost rule: a voucher covers at most "
        "%(percent)s %% of the course cost (EUR %(cost)s), that is EUR %(cap)s; "
        "this voucher is EUR %(amount)s. %(person)s has EUR %(remaining)s left of "
        "the three-year allowance."
    ),
    "company_voucher_exceeded": _(
        "Spending refused: voucher %(reference)s has EUR %(left)s left of EUR "
        "%(granted)s; this spending is EUR %(amount)s."
    ),
    "company_voucher_other_company": _(
        "This place is not sponsored by %(company)s, the holder of voucher "
        "%(reference)s."
    ),
    "busy": _("Someone else is changing these records right now: try again."),
}


def refuse_funding(code: str, *, field: str | None = None, **params) -> FundingError:
    return FundingError(FUNDING_MESSAGES[code], code=code, field=field, **params)
