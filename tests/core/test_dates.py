"""Finding 16: Italian writes month and weekday names in lower case inside a
date ("lunedì 7 dicembre 2026"); Django's Italian catalogue capitalises them."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from core.dates import date_format
from tests.factories import CourseEditionFactory

ROME = zoneinfo.ZoneInfo("Europe/Rome")
MONDAY = dt.datetime(2026, 12, 7, 9, 30, tzinfo=ROME)


@pytest.mark.parametrize(
    ("language", "format_string", "expected"),
    [
        ("it", "j F Y", "7 dicembre 2026"),
        ("it", "D j M Y, H:i", "lun 7 dic 2026, 09:30"),
        ("it", "l j F Y", "lunedì 7 dicembre 2026"),
        ("it", "DATETIME_FORMAT", "lunedì 07 dicembre 2026 09:30"),
        ("it", r"\d\a\l j F", "dal 7 dicembre"),
        ("en", "j F Y", "7 December 2026"),
        ("en", "D j M Y, H:i", "Mon 7 Dec 2026, 09:30"),
    ],
)
def test_names_are_in_the_language_case(settings, language, format_string, expected):
    with translation.override(language):
        assert date_format(MONDAY, format_string) == expected
        rendered = Template(
            '{% load dates %}{{ when|local_date:"' + format_string + '" }}'
        ).render(Context({"when": MONDAY}))
    assert rendered == expected


def test_course_page_writes_italian_months_in_lower_case(client, site):
    with time_machine.travel(dt.datetime(2026, 11, 1, 12, tzinfo=ROME), tick=False):
        edition = CourseEditionFactory()  # sessions on 1 and 8 December
        response = client.get(edition.course.url)
        html = response.content.decode()
    assert response.status_code == 200
    assert "1 dicembre 2026" in html and "8 dicembre 2026" in html
    assert "Dicembre" not in html
