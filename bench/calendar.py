"""Calendar rows: the personal feed of 300 and 1000 events, django-ical beside it.

A bench trainee holds confirmed seats in 30 (then 100) bench editions of 10
sessions each. Each figure is the in-process GET of the feed URL (test Client,
production settings, PostgreSQL), the median of REPEATS runs:

- cold: the per-process cache of serialised events emptied first, so every
  VEVENT is built and serialised by icalendar;
- build: the body built again from the session rows (what a calendar app gets
  when its copy is stale), the serialised events of unchanged sessions reused;
- django-ical: the same 300 sessions (same queries) through django-ical's
  ICalFeed view, which writes no VTIMEZONE;
- 304: the same feed asked again with its ETag.

Targets (issue 8): build >= 2x faster than django-ical for the same events; the
unchanged feed (304) >= 20x faster than a cold build.
"""

from __future__ import annotations

import statistics

from .report import Row, error_row
from .timing import query_count, samples_ms

NAME = "calendar"
HOST = "127.0.0.1"
REPEATS = 7
SIZES = (300, 1000)
SESSIONS_PER_EDITION = 10


def _trainee(events: int):
    """A bench trainee confirmed in enough bench editions for `events` sessions."""
    from courses.models import CourseEdition
    from enrolment.models import Enrolment, EnrolmentStatus
    from people.models import User
    from people.services import calendar_feed_ensure

    user, _ = User.objects.get_or_create(
        email=f"bench-calendar-{events}@makers-school.example",
        defaults={"first_name": "Bench", "last_name": f"Calendar {events}"},
    )
    editions = list(
        CourseEdition.objects.filter(code__startswith="BENCH-", code__endswith="-E1")
        .order_by("code")
        .values_list("pk", flat=True)[: events // SESSIONS_PER_EDITION]
    )
    have = set(
        Enrolment.objects.filter(trainee=user).values_list("edition_id", flat=True)
    )
    Enrolment.objects.bulk_create(
        Enrolment(trainee=user, edition_id=pk, status=EnrolmentStatus.CONFIRMED)
        for pk in editions
        if pk not in have
    )
    return user, calendar_feed_ensure(user=user)


def _timed(fn, *, repeats: int = REPEATS, before=None) -> float:
    return statistics.median(samples_ms(fn, repeats=repeats, before=before))


def _django_ical_view(user):
    """django-ical's ICalFeed over the very sessions our feed lists."""
    from django.utils import timezone
    from django_ical.views import ICalFeed

    from courses.feeds import calendar_domain
    from courses.selectors import calendar_sessions
    from enrolment.selectors import person_calendar_sessions

    class PeerFeed(ICalFeed):
        product_id = "-//Makers' School//bench//IT"
        timezone = "Europe/Rome"
        title = "Makers' School: bench"
        file_name = "bench.ics"

        def items(self):
            return list(calendar_sessions(person_calendar_sessions(user=user)))

        def item_guid(self, item):
            return f"{item.uuid}@{calendar_domain()}"

        def item_title(self, item):
            return f"{item.edition.course.title}: {item.topic}"

        def item_description(self, item):
            names = ", ".join(str(p) for p in item.edition.instructors.all())
            return f"{names}\n{item.edition.notes}\n{item.edition.code}"

        def item_location(self, item):
            venue = item.edition.venue
            return f"{venue.name}, {item.room}, {venue.full_address}"

        def item_link(self, item):
            return f"https://{calendar_domain()}/corsi/"

        def item_start_datetime(self, item):
            return timezone.localtime(item.start)

        def item_end_datetime(self, item):
            return timezone.localtime(item.end)

        def item_updateddate(self, item):
            return item.updated_at

        def item_timestamp(self, item):
            return item.updated_at

    return PeerFeed()


def run(ctx) -> list[Row]:
    from django.conf import settings
    from django.test import Client, RequestFactory
    from django.urls import reverse

    from courses import calendar as calendar_module

    from . import data

    data.ensure_dataset(courses=500)  # no-op after `catalogue`
    # The per-token rate limit would stop the repeated requests of a run.
    settings.MAKERS_CALENDAR_FEED_RATE = (100_000, 600)
    client = Client(HTTP_HOST=HOST)
    rows: list[Row] = []
    figures: dict[tuple[int, str], float] = {}
    for size in SIZES:
        name = f"calendar: personal feed, {size} events"
        try:
            user, feed = _trainee(size)
            url = reverse("calendar_feeds:personal", args=[feed.token])

            def get(url=url, **headers):
                response = client.get(url, **headers)
                if response.status_code not in (200, 304):
                    raise RuntimeError(f"GET {url} answered {response.status_code}")
                return response

            first = get()
            events = first.content.count(b"BEGIN:VEVENT")
            if events != size:
                raise RuntimeError(f"{events} events in the feed, {size} expected")
            cold = _timed(get, before=calendar_module._event_bytes.cache_clear)
            get()
            build = _timed(get)
            etag = first["ETag"]
            not_modified = _timed(lambda e=etag: get(HTTP_IF_NONE_MATCH=e))
            if get(HTTP_IF_NONE_MATCH=etag).status_code != 304:
                raise RuntimeError("the unchanged feed was not a 304")
            queries = query_count(get)
            queries_304 = query_count(lambda e=etag: get(HTTP_IF_NONE_MATCH=e))
        except Exception as error:  # noqa: BLE001 - one ERROR row, the rest runs
            rows.append(error_row(name, error))
            continue
        figures[size, "cold"] = cold
        figures[size, "build"] = build
        figures[size, "304"] = not_modified
        rows += [
            Row(f"{name}: cold build (no event cached)", round(cold, 1), "ms"),
            Row(f"{name}: build, unchanged events cached", round(build, 1), "ms"),
            Row(f"{name}: queries", queries, "queries", "<= 8", queries <= 8),
            Row(f"{name}: body", len(first.content), "bytes"),
            Row(f"{name}: unchanged, 304", round(not_modified, 2), "ms"),
            Row(
                f"{name}: 304 queries", queries_304, "queries", "<= 3", queries_304 <= 3
            ),
        ]
    # django-ical, the same 300 events.
    try:
        user, _feed = _trainee(SIZES[0])
        view = _django_ical_view(user)
        factory = RequestFactory(HTTP_HOST=HOST)
        body = view(factory.get("/bench.ics")).content
        if body.count(b"BEGIN:VEVENT") != SIZES[0]:
            raise RuntimeError("django-ical wrote another number of events")
        peer = _timed(lambda: view(factory.get("/bench.ics")))
        rows.append(
            Row(
                f"calendar: django-ical, same {SIZES[0]} events (no VTIMEZONE)",
                round(peer, 1),
                "ms",
                note=f"{len(body)} bytes",
            )
        )
        if (SIZES[0], "build") in figures:
            ratio = peer / figures[SIZES[0], "build"]
            rows.append(
                Row(
                    f"calendar: django-ical time / ours, {SIZES[0]} events (build)",
                    round(ratio, 2),
                    "x",
                    ">= 2",
                    ratio >= 2,
                )
            )
            cold_ratio = peer / figures[SIZES[0], "cold"]
            rows.append(
                Row(
                    f"calendar: django-ical time / ours, {SIZES[0]} events (cold)",
                    round(cold_ratio, 2),
                    "x",
                )
            )
    except Exception as error:  # noqa: BLE001
        rows.append(error_row("calendar: django-ical", error))
    for size in SIZES:
        if (size, "cold") in figures:
            ratio = figures[size, "cold"] / figures[size, "304"]
            rows.append(
                Row(
                    f"calendar: cold build / unchanged 304, {size} events",
                    round(ratio, 1),
                    "x",
                    ">= 20",
                    ratio >= 20,
                )
            )
    return rows
