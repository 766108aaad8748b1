"""My calendar (portal:calendar): the person's own feed links, and the reset."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from enrolment import services
from people.models import CalendarFeed
from tests.factories import CourseEditionFactory, InstructorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def page(client, user):
    client.force_login(user)
    response = client.get(reverse("portal:calendar"))
    assert response.status_code == 200
    return response


def test_anonymous_visitors_are_sent_to_sign_in(client, site):
    response = client.get(reverse("portal:calendar"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("portal:calendar")).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_owner_sees_their_feed_links(client, site, django_assert_max_num_queries):
    trainee = TraineeFactory()
    edition = CourseEditionFactory(course__title="Robotica collaborativa")
    services.enrolment_create(trainee=trainee, edition=edition)
    client.force_login(trainee)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("portal:calendar"))
    feed = CalendarFeed.objects.get(user=trainee)
    https_url = "http://testserver" + reverse(
        "calendar_feeds:personal", args=[feed.token]
    )
    context = response.context
    assert context["feed_url"] == https_url
    assert context["webcal_url"] == "webcal://testserver" + urlsplit(https_url).path
    google = urlsplit(context["google_url"])
    assert google.netloc == "calendar.google.com"
    assert parse_qs(google.query)["cid"] == [context["webcal_url"]]
    outlook = urlsplit(context["outlook_url"])
    assert outlook.netloc == "outlook.live.com"
    assert parse_qs(outlook.query)["url"] == [https_url]
    html = response.content.decode()
    assert "Robotica collaborativa" in html
    assert feed.token in html
    # Only the person's own: the page is the same URL for everybody.
    other = TraineeFactory()
    other_html = page(client, other).content.decode()
    assert feed.token not in other_html
    assert CalendarFeed.objects.get(user=other).token in other_html


def test_instructor_sees_their_teaching(client, site):
    instructor = InstructorFactory()
    edition = CourseEditionFactory(course__title="CAM a 5 assi")
    edition.sessions.update(instructor=instructor)
    html = page(client, instructor).content.decode()
    assert "CAM a 5 assi" in html


def test_reset_gives_a_new_link(client, site):
    trainee = TraineeFactory()
    page(client, trainee)
    old = CalendarFeed.objects.get(user=trainee).token
    page(client, trainee)
    assert CalendarFeed.objects.get(user=trainee).token == old  # a GET changes nothing
    response = client.post(reverse("portal:calendar"))
    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=trainee).token
    assert new != old
    assert client.get(f"/calendar/personal/{old}.ics").status_code == 404
    assert client.get(f"/calendar/personal/{new}.ics").status_code == 200


def test_dashboard_and_user_menu_link_my_calendar(client, site):
    client.force_login(TraineeFactory())
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert html.count(f'href="{reverse("portal:calendar")}"') == 2
