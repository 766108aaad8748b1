"""`{{ value|local_date:"j F Y" }}`: Django's date filter with month and
weekday names in the active language's case (core.dates)."""

from django import template
from django.template.defaultfilters import date as django_date

from core.dates import localized_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value, arg=None) -> str:
    if value in (None, ""):
        return ""
    return django_date(value, localized_format(value, arg or "DATE_FORMAT"))
