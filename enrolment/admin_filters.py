"""The staff enrolment listing's edition filter: a text input that suggests
editions as their code is typed (enrolment.admin_views.EditionAutocompleteView),
never a select of every edition with its course page (issue 22: thousands of
editions made the listing slow before any enrolment was read).

The filter takes an edition's id (the roster's and the edition listing's links)
or its code (what the staff type); either costs one query.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import CourseEdition

AUTOCOMPLETE_URL_NAME = "enrolments:edition_autocomplete"


class EditionAutocompleteInput(forms.TextInput):
    """A text input bound to a <datalist> that enrolment/js/edition_autocomplete.js
    fills from the autocomplete endpoint; without JavaScript the code typed in
    full still filters."""

    template_name = "enrolment/widgets/edition_autocomplete.html"

    class Media:
        js = ["enrolment/js/edition_autocomplete.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        list_id = f"{attrs.get('id') or name}-options"
        attrs.update(
            {
                "list": list_id,
                "autocomplete": "off",
                "data-edition-autocomplete": reverse(AUTOCOMPLETE_URL_NAME),
            }
        )
        context["widget"]["list_id"] = list_id
        return context

    def format_value(self, value):
        # A bound id (a link from the roster) shows as the edition's code.
        if isinstance(value, CourseEdition):
            return value.code
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            found = CourseEdition.objects.filter(pk=value).values_list("code")
            return next((code for (code,) in found), str(value))
        return super().format_value(value)


class EditionField(forms.ModelChoiceField):
    """An edition by id or by code (case-insensitive); never lists the queryset."""

    widget = EditionAutocompleteInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, CourseEdition):
            return value
        text = str(value).strip()
        lookup = {"pk": text} if text.isdigit() else {"code__iexact": text}
        found = list(self.queryset.filter(**lookup)[:1])
        if not found:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text},
            )
        return found[0]

    def prepare_value(self, value):
        if isinstance(value, CourseEdition):
            return value.code
        return super().prepare_value(value)


class EditionFilter(django_filters.ModelChoiceFilter):
    field_class = EditionField
