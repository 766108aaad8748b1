from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """How editions and places are paid for: funding lines, who pays each place,
    individual and company vouchers within their rules, the funder's figures.
    Above attendance (it reads hours attended), below certificates."""

    name = "funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from people.models import Role
        from people.roles import grant

        from .personal_data import personal_data_register

        personal_data_register()
        # Staff set up funding, record who pays each place and the company
        # vouchers, and edit the voucher rules (a Wagtail setting: change only).
        grant(
            Role.STAFF,
            self.label,
            ["fundingline", "placefunding", "companyvoucher", "voucherspending"],
        )
        grant(Role.STAFF, self.label, ["voucherrules"], actions=["change"])
