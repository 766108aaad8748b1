"""A course page's edition blocks are kept as fragments (courses.catalogue):
re-rendering the page after a seat change or any invalidation reuses them, and
whatever a block shows shows at once when it changes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from core.cache import page_cache_invalidate
from tests.enrolment.helpers import enrol
from tests.factories import CourseEditionFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def _render(client, url):
    """The course page rendered anew (the page cache bumped), with its queries."""
    page_cache_invalidate()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    return response.content.decode(), [query["sql"] for query in captured]


def _reads_sessions(queries) -> bool:
    # The sessions' own query (a prefetch), not the stamps' subqueries on them.
    return any(sql.startswith('SELECT "courses_session"."id"') for sql in queries)


def test_a_kept_block_is_reused_without_reading_the_sessions(site, client):
    edition = CourseEditionFactory(sessions=3)
    url = edition.course.url
    client.get("/")  # the site settings row, once
    first, first_queries = _render(client, url)
    again, again_queries = _render(client, url)
    assert _reads_sessions(first_queries)
    assert not _reads_sessions(again_queries)
    assert len(again_queries) < len(first_queries)
    assert again == first
    assert edition.sessions.first().topic in again


def test_a_seat_taken_shows_at_once_in_the_kept_block(site, client):
    edition = CourseEditionFactory(capacity=3)
    url = edition.course.url
    client.get("/")
    before, _ = _render(client, url)
    assert "3 posti disponibili su 3" in before
    enrol(edition)  # an UPDATE of seats_taken: no content save
    after, queries = _render(client, url)
    assert "2 posti disponibili su 3" in after
    assert _reads_sessions(queries)


def test_a_session_edit_shows_at_once(site, client):
    edition = CourseEditionFactory(sessions=2)
    url = edition.course.url
    client.get("/")
    _render(client, url)
    session = edition.sessions.order_by("start").first()
    session.topic = "Saldatura robotizzata: la cella"
    session.save()
    body, _ = _render(client, url)
    assert "Saldatura robotizzata: la cella" in body


def test_the_enrol_button_follows_the_clock(site, client, time_machine):
    now = timezone.now()
    edition = CourseEditionFactory(
        enrolment_closes_at=now + datetime.timedelta(minutes=1)
    )
    url = edition.course.url
    client.get("/")
    body, _ = _render(client, url)
    assert "Accedi per iscriverti" in body
    # Two minutes: well within the fragments' lifetime, so only the key can tell.
    time_machine.move_to(now + datetime.timedelta(minutes=2), tick=False)
    body, _ = _render(client, url)
    assert "Accedi per iscriverti" not in body


def test_a_signed_in_viewers_block_is_never_kept_for_others(site, client):
    edition = CourseEditionFactory()
    course = edition.course
    elsewhere = CourseEditionFactory().course
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.LOGIN
    )
    trainee = TraineeFactory()
    enrol(edition, trainee=trainee)
    client.get("/")  # the site settings row, once
    client.force_login(trainee)
    # Behind a view restriction the page renders for its viewer: their enrolment.
    mine = client.get(course.url).content.decode()
    assert "La tua iscrizione" in mine
    # The restriction moves to another course without a signal, so the content
    # generation stays: only the rule that such blocks are not kept protects this.
    PageViewRestriction.objects.filter(page=course).update(page=elsewhere)
    client.logout()
    visitor = client.get(course.url).content.decode()
    assert "La tua iscrizione" not in visitor
    assert "Accedi per iscriverti" in visitor
