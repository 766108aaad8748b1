"""What funding holds about a person, in their data export
(people.personal_data): who paid their places, their vouchers and the ISEE
declaration. The records stay with the anonymised account, as the funders'
audit requires, so funding adds no erasure step."""

from people.models import User
from people.personal_data import export_rows, export_section_register

from .models import PlaceFunding


def funding_section(*, user: User) -> list[dict]:
    return export_rows(
        PlaceFunding.objects.filter(enrolment__trainee=user),
        [
            "enrolment__edition__code",
            "line__kind",
            "line__funder",
            "company_share",
            "trainee_share",
            "fund_share",
            "voucher_number",
            "voucher_amount",
            "voucher_granted_on",
            "isee_low",
        ],
    )


def personal_data_register() -> None:
    """From FundingConfig.ready()."""
    export_section_register(key="funding", position=115, build=funding_section)
