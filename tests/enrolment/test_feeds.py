"""The personal calendar feed (enrolment.feeds): a trainee's confirmed sessions,
an instructor's teaching, opened by a secret token that can be reset."""

import datetime as dt

import ics
import pytest
import time_machine
from django.http import Http404
from django.urls import reverse
from icalendar import Calendar
from wagtail.models import ModelLogEntry

from courses.models import Session
from courses.selectors import sessions_fingerprint
from enrolment import services
from enrolment.feeds import personal_feed
from enrolment.models import EnrolmentStatus
from enrolment.selectors import person_calendar_fingerprint, person_calendar_sessions
from people.services import calendar_feed_ensure, calendar_feed_reset
from tests.factories import (
    CalendarFeedFactory,
    CourseEditionFactory,
    InstructorFactory,
    SessionFactory,
    TraineeFactory,
    rome_at,
)

pytestmark = pytest.mark.django_db


def feed_path(feed) -> str:
    return reverse("calendar_feeds:personal", args=[feed.token])


def edition_with(sessions: int, *, day: int, **kwargs):
    """An edition whose sessions start on day, day+1, ... (no clash with another
    edition built from another day)."""
    edition = CourseEditionFactory(sessions=0, **kwargs)
    for number in range(sessions):
        SessionFactory(edition=edition, start=rome_at(day + number, hour=9))
    return edition


def events(response) -> list:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    # The second, independent parser must agree on the number of events.
    parsed = Calendar.from_ical(body).walk("VEVENT")
    assert len(ics.Calendar(body.decode()).events) == len(parsed)
    return parsed


def test_trainee_feed_lists_confirmed_sessions_only(client, site):
    trainee = TraineeFactory(first_name="Carla", last_name="Bianchi")
    confirmed = edition_with(3, day=30, capacity=5)
    full = edition_with(2, day=40, capacity=1)
    services.enrolment_create(trainee=trainee, edition=confirmed)
    services.enrolment_create(trainee=TraineeFactory(), edition=full)
    waiting = services.enrolment_create(trainee=trainee, edition=full)
    assert waiting.status == EnrolmentStatus.WAITLISTED
    feed = CalendarFeedFactory(user=trainee)
    response = client.get(feed_path(feed))
    uids = {str(event["UID"]).split("@")[0] for event in events(response)}
    assert uids == {str(s.uuid) for s in confirmed.sessions.all()}
    assert response["Cache-Control"] == "private, max-age=900"


def test_feed_never_names_other_trainees(client, site):
    edition = CourseEditionFactory(sessions=2, capacity=5)
    me = TraineeFactory(first_name="Carla", last_name="Bianchi")
    other = TraineeFactory(first_name="Zeffirino", last_name="Quagliarella")
    services.enrolment_create(trainee=me, edition=edition)
    services.enrolment_create(trainee=other, edition=edition)
    body = client.get(feed_path(CalendarFeedFactory(user=me))).content.decode()
    assert "Zeffirino" not in body and "Quagliarella" not in body
    assert other.email not in body


def test_instructor_feed_lists_the_sessions_they_teach(client, site):
    instructor = InstructorFactory()
    colleague = InstructorFactory()
    edition = CourseEditionFactory(sessions=0)
    edition.instructors.set([instructor, colleague])
    edition.save()
    mine = SessionFactory(edition=edition, instructor=instructor)
    theirs = SessionFactory(
        edition=edition, instructor=colleague, start=rome_at(31, hour=9)
    )
    shared = SessionFactory(edition=edition, instructor=None, start=rome_at(32))
    elsewhere = SessionFactory(instructor=instructor, start=rome_at(33))
    response = client.get(feed_path(CalendarFeedFactory(user=instructor)))
    uids = {str(event["UID"]).split("@")[0] for event in events(response)}
    assert uids == {str(mine.uuid), str(shared.uuid), str(elsewhere.uuid)}
    assert str(theirs.uuid) not in uids


def test_cancelling_the_enrolment_removes_the_edition(client, site):
    trainee = TraineeFactory()
    edition = CourseEditionFactory(sessions=2)
    enrolment = services.enrolment_create(trainee=trainee, edition=edition)
    feed = CalendarFeedFactory(user=trainee)
    first = client.get(feed_path(feed))
    assert len(events(first)) == 2
    services.enrolment_cancel(enrolment=enrolment, actor=trainee)
    again = client.get(feed_path(feed), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again["ETag"] != first["ETag"]
    assert events(again) == []
    # A client that only sends If-Modified-Since sees the change too.
    assert again["Last-Modified"] >= first["Last-Modified"]


def test_moved_and_cancelled_sessions_update_the_feed(client, site):
    trainee = TraineeFactory()
    edition = CourseEditionFactory(sessions=2)
    services.enrolment_create(trainee=trainee, edition=edition)
    feed = CalendarFeedFactory(user=trainee)
    first = client.get(feed_path(feed))
    moved, cancelled = Session.objects.filter(edition=edition).order_by("start")
    moved.start += dt.timedelta(hours=2)
    moved.end += dt.timedelta(hours=2)
    moved.save()
    cancelled.cancelled = True
    cancelled.save()
    again = client.get(feed_path(feed), HTTP_IF_NONE_MATCH=first["ETag"])
    by_uid = {str(e["UID"]).split("@")[0]: e for e in events(again)}
    assert by_uid[str(moved.uuid)]["SEQUENCE"] == 1
    assert by_uid[str(moved.uuid)]["DTSTART"].dt == moved.start
    assert by_uid[str(cancelled.uuid)]["STATUS"] == "CANCELLED"
    assert by_uid[str(cancelled.uuid)]["SEQUENCE"] == 1


def test_unchanged_feed_is_304_without_building(
    client, site, monkeypatch, django_assert_max_num_queries
):
    trainee = TraineeFactory()
    services.enrolment_create(trainee=trainee, edition=CourseEditionFactory())
    feed = CalendarFeedFactory(user=trainee)
    first = client.get(feed_path(feed))
    monkeypatch.setattr(
        "enrolment.feeds.calendar_bytes",
        lambda *a, **k: pytest.fail("built the calendar for a 304"),
    )
    with django_assert_max_num_queries(3):
        again = client.get(feed_path(feed), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(feed_path(feed), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_feed_queries_do_not_grow_with_events(
    client, site, django_assert_max_num_queries
):
    small, big = TraineeFactory(), TraineeFactory()
    services.enrolment_create(trainee=small, edition=CourseEditionFactory(sessions=1))
    for number in range(4):
        edition = edition_with(12, day=20 + 15 * number)
        services.enrolment_create(trainee=big, edition=edition)
    with django_assert_max_num_queries(10) as counted:
        client.get(feed_path(CalendarFeedFactory(user=small)))
    with django_assert_max_num_queries(len(counted.captured_queries)):
        response = client.get(feed_path(CalendarFeedFactory(user=big)))
    assert len(events(response)) == 48


def test_reset_token_makes_the_old_url_404_at_once(client, site):
    trainee = TraineeFactory()
    feed = calendar_feed_ensure(user=trainee)
    old = feed_path(feed)
    assert client.get(old).status_code == 200
    new_feed = calendar_feed_reset(user=trainee)
    assert client.get(old).status_code == 404
    assert client.get(feed_path(new_feed)).status_code == 200
    entry = ModelLogEntry.objects.get(action="makers.calendar_feed.reset")
    assert entry.user_id == trainee.pk
    assert feed.token not in str(entry.data) and new_feed.token not in str(entry.data)


@pytest.mark.parametrize(
    "token",
    ["short", "x" * 44, "A" * 42 + "!", "../" + "a" * 40],
)
def test_malformed_tokens_are_404_without_a_query(
    client, site, rf, token, django_assert_num_queries
):
    assert client.get(f"/calendar/personal/{token}.ics").status_code == 404
    with django_assert_num_queries(0), pytest.raises(Http404):
        personal_feed(rf.get("/"), token=token)


def test_unknown_token_is_404_and_inactive_user_too(client, site):
    assert client.get("/calendar/personal/" + "a" * 43 + ".ics").status_code == 404
    feed = CalendarFeedFactory()
    feed.user.is_active = False
    feed.user.save()
    assert client.get(feed_path(feed)).status_code == 404


def test_rate_limit_per_token(client, site, settings):
    settings.MAKERS_CALENDAR_FEED_RATE = (3, 600)
    feed = CalendarFeedFactory()
    other = CalendarFeedFactory()
    codes = [client.get(feed_path(feed)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(feed_path(other)).status_code == 200


def test_feed_speaks_the_persons_language(client, site):
    trainee = TraineeFactory(language="en")
    edition = CourseEditionFactory(sessions=0)
    SessionFactory(edition=edition, topic="Sicurezza", topic_en="Safety")
    services.enrolment_create(trainee=trainee, edition=edition)
    (event,) = events(client.get(feed_path(CalendarFeedFactory(user=trainee))))
    assert str(event["SUMMARY"]).endswith(": Safety")
    assert "Edition: " in str(event["DESCRIPTION"])


def test_the_prepared_fingerprint_is_the_feeds_fingerprint(site):
    """The personal feed's prepared statement gives what sessions_fingerprint
    computes from the feed's sessions: for nobody's sessions, a trainee's and
    an instructor's (own, shared and elsewhere), cancelled ones included."""
    instructor = InstructorFactory()
    trainee = TraineeFactory()
    assert person_calendar_fingerprint(user=trainee) == sessions_fingerprint(
        person_calendar_sessions(user=trainee)
    )
    edition = edition_with(3, day=10)
    edition.instructors.set([instructor])
    edition.save()
    SessionFactory(instructor=instructor, start=rome_at(40, hour=9))
    SessionFactory(edition=edition, cancelled=True, start=rome_at(20, hour=9))
    services.enrolment_create(trainee=trainee, edition=edition)
    for person in (trainee, instructor):
        expected = sessions_fingerprint(person_calendar_sessions(user=person))
        assert person_calendar_fingerprint(user=person) == expected
    assert person_calendar_fingerprint(user=trainee).count == 4
    assert person_calendar_fingerprint(user=instructor).count == 5


def test_instructor_feed_is_304_until_a_session_they_teach_changes(
    client, site, django_assert_max_num_queries
):
    """Issue 22: a calendar app polling an instructor's feed gets 304s, with
    either validator, and the full feed again once one of their sessions moves."""
    instructor = InstructorFactory()
    feed = CalendarFeedFactory(user=instructor)
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        edition = CourseEditionFactory(sessions=0)
        taught = [
            SessionFactory(edition=edition, instructor=instructor, start=rome_at(d))
            for d in (20, 21, 22)
        ]
        first = client.get(feed_path(feed))
        assert first.status_code == 200 and len(events(first)) == 3
        with django_assert_max_num_queries(3):
            etag = client.get(feed_path(feed), HTTP_IF_NONE_MATCH=first["ETag"])
        since = client.get(
            feed_path(feed), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        )
        assert (etag.status_code, since.status_code) == (304, 304)
    with time_machine.travel(dt.datetime(2027, 3, 1, 10, tzinfo=dt.UTC), tick=False):
        taught[0].start += dt.timedelta(hours=1)
        taught[0].end += dt.timedelta(hours=1)
        taught[0].save()
        etag = client.get(feed_path(feed), HTTP_IF_NONE_MATCH=first["ETag"])
        since = client.get(
            feed_path(feed), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        )
    assert (etag.status_code, since.status_code) == (200, 200)
    assert etag["ETag"] != first["ETag"]
    assert since["Last-Modified"] != first["Last-Modified"]
    assert len(events(etag)) == 3
