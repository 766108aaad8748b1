"""The filters of a report, read from the query string."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courses.models import Area, CoursePage
from funding.models import FundingKind
from people.models import Company

from .registry import Report
from .selectors import ReportFilters


class ReportFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    area = forms.ChoiceField(
        label=_("Area"), required=False, choices=[("", _("All"))] + Area.choices
    )
    course = forms.ModelChoiceField(
        label=_("Course"), required=False, queryset=CoursePage.objects.order_by("title")
    )
    kind = forms.ChoiceField(
        label=_("Funding"),
        required=False,
        choices=[("", _("All"))] + FundingKind.choices,
    )
    company = forms.ModelChoiceField(
        label=_("Company"), required=False, queryset=Company.objects.order_by("name")
    )
    by = forms.ChoiceField(label=_("Show"), required=False)

    def __init__(self, *args, report: Report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["by"].choices = report.groupings
        for name in list(self.fields):
            if name != "by" and name not in report.filters:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError(_("The period ends before it starts."))
        return data

    def report_filters(self) -> ReportFilters:
        """The filters of a valid form (defaults for what is left blank)."""
        data = self.cleaned_data
        course, company = data.get("course"), data.get("company")
        return ReportFilters(
            start=data.get("start"),
            end=data.get("end"),
            area=data.get("area") or "",
            course=course.pk if course else None,
            kind=data.get("kind") or "",
            company=company.pk if company else None,
            by=data.get("by") or "",
        )
