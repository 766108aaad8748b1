"""Issue 8's browser journey: a trainee opens "My calendar" from the user menu,
finds working subscription links (the downloaded file parses; the webcal, Google
Calendar and Outlook links carry the feed URL), and resets the link."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from icalendar import Calendar
from playwright.sync_api import expect

from enrolment.services import enrolment_create
from people.models import CalendarFeed
from tests.e2e.conftest import axe_check, sign_in_as
from tests.factories import CourseEditionFactory, TraineeFactory, site_tree

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_my_calendar_links_work(new_page, live_server, journey):
    site_tree()
    edition = CourseEditionFactory(course__title="Metrologia a coordinate")
    trainee = TraineeFactory(first_name="Carla", last_name="Bianchi")
    enrolment_create(trainee=trainee, edition=edition)

    page = new_page()
    sign_in_as(page, live_server, trainee)
    page.goto(live_server.url + reverse("portal:dashboard"))
    page.locator("#user-menu-button").click()
    page.locator(".site-user-menu a[href$='/me/calendar/']").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".site-calendar-next, #calendar-next")).to_be_visible()
    expect(page.get_by_text("Metrologia a coordinate").first).to_be_visible()
    journey.shot(page, "my-calendar")
    axe_check(page, journey=journey, name="my-calendar")

    feed = CalendarFeed.objects.get(user=trainee)
    path = reverse("calendar_feeds:personal", args=[feed.token])
    https_url = page.locator("#calendar-https-url").input_value()
    assert https_url == live_server.url + path
    webcal = page.locator("#calendar-webcal").get_attribute("href")
    assert webcal == "webcal://" + https_url.split("://", 1)[1]
    assert page.locator("#calendar-webcal-url").input_value() == webcal
    google = urlsplit(page.locator("#calendar-google").get_attribute("href"))
    assert google.netloc == "calendar.google.com"
    assert parse_qs(google.query)["cid"] == [webcal]
    outlook = urlsplit(page.locator("#calendar-outlook").get_attribute("href"))
    assert outlook.netloc == "outlook.live.com"
    assert parse_qs(outlook.query)["url"] == [https_url]

    # The download link gives a calendar that parses, with the edition's sessions.
    with page.expect_download() as info:
        page.locator("#calendar-download").click()
    body = Path(info.value.path()).read_bytes()
    events = Calendar.from_ical(body).walk("VEVENT")
    assert {str(e["UID"]).split("@")[0] for e in events} == {
        str(s.uuid) for s in edition.sessions.all()
    }

    # A new link: the old URL is a 404 at once, the page shows the new one.
    page.locator("form button[type=submit].btn-outline-danger").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success, .alert")).to_be_visible()
    journey.shot(page, "my-calendar-reset")
    new_url = page.locator("#calendar-https-url").input_value()
    assert new_url != https_url
    assert page.request.get(https_url).status == 404
    assert page.request.get(new_url).status == 200
    journey.assert_no_server_errors()
