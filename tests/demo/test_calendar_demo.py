"""The calendar demo (demo/calendar.py): the README's trainee and instructor find
sessions in the past, today and to come, one cancelled and one moved."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from demo.loader import demo_load
from people.models import User
from people.services import calendar_feed_ensure

ROME = ZoneInfo("Europe/Rome")
NOW = dt.datetime(2026, 3, 4, 10, 30, tzinfo=ROME)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "email", ["allievo@makers-school.example", "docente@makers-school.example"]
)
def test_demo_feeds_show_past_today_upcoming_cancelled_and_moved(client, email):
    with time_machine.travel(NOW, tick=False):
        demo_load(now=NOW)
        feed = calendar_feed_ensure(user=User.objects.get(email=email))
        response = client.get(reverse("calendar_feeds:personal", args=[feed.token]))
        again = demo_load(now=NOW)
    assert again["calendar enrolments"] == again["editions"] == 0
    events = [
        event
        for event in Calendar.from_ical(response.content).walk("VEVENT")
        if "-CAL" in str(event["DESCRIPTION"])
    ]
    days = {event["DTSTART"].dt.astimezone(ROME).date() for event in events}
    today = NOW.date()
    assert min(days) < today and today in days and max(days) > today
    cancelled = [e for e in events if e["STATUS"] == "CANCELLED"]
    assert len(cancelled) == 1 and cancelled[0]["SEQUENCE"] == 1
    moved = [e for e in events if e["STATUS"] == "CONFIRMED" and e["SEQUENCE"] == 1]
    assert len(moved) == 1
