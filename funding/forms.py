"""The admin forms of place funding and voucher spendings: their place and
line choices read in one query each (an enrolment's label names its trainee
and edition)."""

from wagtail.admin.forms import WagtailAdminModelForm

from enrolment.models import ACTIVE_STATUSES, Enrolment

from .models import FundingLine


def _places():
    return Enrolment.objects.filter(status__in=ACTIVE_STATUSES).select_related(
        "trainee", "edition"
    )


class PlaceFundingForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        places = _places()
        if self.instance.pk:
            places = places | Enrolment.objects.filter(pk=self.instance.enrolment_id)
        self.fields["enrolment"].queryset = places.order_by(
            "edition__code", "trainee__last_name", "pk"
        )
        self.fields["line"].queryset = FundingLine.objects.select_related("edition")


class VoucherSpendingForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = (
            Enrolment.objects.filter(sponsor_company__isnull=False)
            .select_related("trainee", "edition")
            .order_by("edition__code", "trainee__last_name", "pk")
        )
        self.fields["voucher"].queryset = self.fields[
            "voucher"
        ].queryset.select_related("company")
