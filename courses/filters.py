import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import EQF_LEVELS, Area, Competency, TeachingLanguage
from .selectors import CatalogueFilters

# Months the catalogue can be asked about. Beyond these a date lookup overflows on
# some backends (year 1 in Europe/Rome is before datetime.min in UTC on SQLite), and
# no edition starts there anyway.
FIRST_MONTH = datetime.date(2000, 1, 1)
LAST_MONTH = datetime.date(2099, 12, 1)


class MonthField(forms.CharField):
    """A month written as YYYY-MM, cleaned to the first day of that month."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            month = datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise ValidationError(_("Choose a month from the list.")) from None
        if not FIRST_MONTH <= month <= LAST_MONTH:
            raise ValidationError(_("Choose a month from the list."))
        return month


class SearchField(forms.CharField):
    """Words to search for, never search syntax.

    The database backends quote each word; a double quote inside one ends that
    quoting and makes SQLite's full-text MATCH a syntax error, so double quotes
    become spaces. NUL is refused (and reported) by CharField itself.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(value.replace('"', " ").split())


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class CatalogueFilterSet(django_filters.FilterSet):
    """The catalogue's query string: validated here, applied by course_catalogue.

    Invalid values are reported to the visitor and ignored, never a server error.
    """

    q = SearchFilter(label=_("Search courses"), max_length=100)
    area = django_filters.ChoiceFilter(
        label=_("Area"), choices=Area.choices, empty_label=_("All areas")
    )
    competency = django_filters.ModelChoiceFilter(
        label=_("Competency"),
        queryset=Competency.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("All competencies"),
    )
    eqf = django_filters.ChoiceFilter(
        label=_("EQF level"),
        choices=[(str(level), label) for level, label in EQF_LEVELS],
        empty_label=_("All levels"),
    )
    month = MonthFilter(label=_("Starting in"))
    language = django_filters.ChoiceFilter(
        label=_("Teaching language"),
        choices=TeachingLanguage.choices,
        empty_label=_("All languages"),
    )
    seats = django_filters.BooleanFilter(
        label=_("Only with seats left"), widget=forms.CheckboxInput
    )

    def catalogue_filters(self) -> CatalogueFilters:
        """The valid part of the query string; invalid fields are left out."""
        form = self.form
        if not form.is_bound:
            return CatalogueFilters()
        form.is_valid()
        data = {name: form.cleaned_data.get(name) for name in form.fields}
        return CatalogueFilters(
            query=(data["q"] or "").strip(),
            area=data["area"] or None,
            competency=data["competency"],
            eqf_level=int(data["eqf"]) if data["eqf"] else None,
            month=data["month"],
            language=data["language"] or None,
            seats_left=bool(data["seats"]),
        )
