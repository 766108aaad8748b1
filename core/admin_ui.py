"""Pieces of the Wagtail admin that every app's staff screens share.

Wagtail's inspect view prints a field with `{{ value|localize }}`, which formats
an aware datetime in its own zone (UTC, as the database returns it), not in the
school's; its boolean column names the values "True"/"False" for screen
readers, untranslated. These replace both.
"""

import datetime

from django.utils import timezone
from django.utils.html import format_html
from wagtail.admin.ui.tables import BooleanColumn, Column


class LocalTimeInspectMixin:
    """An InspectView whose datetimes show in the active time zone (Europe/Rome
    unless the person chose another in their admin profile), as the History
    views and every listing show them."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        return value


class YesNoColumn(BooleanColumn):
    """A tick or a cross whose text for screen readers is a translated
    "Yes"/"No" ("Unknown" for None)."""

    cell_template_name = "core/admin/yes_no_cell.html"


class PlainColumn(Column):
    """A text column whose cell is built in Python (escaped), not rendered from
    Wagtail's cell template: the same <td>, a fraction of the cost on a page of
    50 rows x several columns (issue 22's staff listing at 100k rows)."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_cell_context_data(instance, parent_context)["value"]
        value = "" if value is None else value
        if self.classname:
            return format_html('<td class="{}">{}</td>', self.classname, value)
        return format_html("<td>{}</td>", value)
