"""Dates as each language writes them.

Django's Italian catalogue names months and weekdays with a capital letter
("7 Dicembre 2026", "Lunedì"), as a title would; in Italian running text, and
in a date, they are lower case ("lunedì 7 dicembre 2026"). date_format() is
Django's formats.date_format with the names in lower case in the languages
that write them so; the `local_date` template filter (core.templatetags.dates)
is the same for templates.
"""

import datetime as dt
import re

from django.utils import dateformat, formats
from django.utils.translation import get_language

# Languages whose month and weekday names are lower case inside a date.
LOWER_CASE_NAMES = frozenset({"it"})
# Django's format characters that print a month's or a weekday's name.
NAME_CHARACTERS = "DFElMNb"
_NAME = re.compile(rf"(\\.)|([{NAME_CHARACTERS}])")


def localized_format(value: dt.date, format_string: str) -> str:
    """format_string (a format, or a format setting's name such as
    DATETIME_FORMAT) for value in the active language: where names are lower
    case, its name characters become value's names in lower case, escaped as
    literal text; the rest is left to Django."""
    resolved = formats.get_format(format_string)
    if (get_language() or "").split("-")[0] not in LOWER_CASE_NAMES:
        return resolved

    def literal(match: re.Match) -> str:
        if match.group(1):
            return match.group(1)
        name = dateformat.format(value, match.group(2)).lower()
        return "".join(f"\\{char}" for char in name)

    return _NAME.sub(literal, resolved)


def date_format(value: dt.date, format_string: str = "DATE_FORMAT") -> str:
    """formats.date_format(value, format_string), names in the language's case."""
    return dateformat.format(value, localized_format(value, format_string))
