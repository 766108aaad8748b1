"""Feed rows of issue 22: an instructor's personal iCalendar feed with 1,000
sessions (100 bench editions of 10 sessions, every one assigned to them).

- cold: the GET of the feed in a fresh process (a new Python, Django set up
  with the bench's production settings, the test client), right after the
  process's first request (an unknown token's 404, which pays the imports and
  the URLconf, reported on its own row): no event is cached in the process,
  what a restarted or recycled worker pays; COLD_RUNS processes, the median
  and spread, target <= 300 ms;
- 304: the unchanged feed asked again with its ETag, and with its
  Last-Modified (If-Modified-Since), in this process, p95 of REPEATS;
- the ratio cold / 304, target >= 20 (--strict fails a miss).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import subprocess

from .report import Row, error_row
from .staff_timing import checked_get, load_note, nearest_rank
from .timing import samples_ms

NAME = "feeds"
HOST = "127.0.0.1"
EDITIONS = 100
SESSIONS = 10
COLD_RUNS = 5
REPEATS = 15
COLD_TARGET_MS = 300
RATIO_TARGET = 20
CODE = "BENCH-FEED-"

# Run in a fresh interpreter with the bench's environment: one cold GET.
COLD_SCRIPT = """
import json, sys, time
import django
django.setup()
from django.conf import settings
from django.test import Client
settings.MAKERS_CALENDAR_FEED_RATE = (1_000_000, 600)
client = Client(HTTP_HOST=sys.argv[2])
started = time.perf_counter()
unknown = client.get(sys.argv[3])
first_ms = (time.perf_counter() - started) * 1000
started = time.perf_counter()
response = client.get(sys.argv[1])
ms = (time.perf_counter() - started) * 1000
print(json.dumps({"ms": ms, "first_ms": first_ms, "status": response.status_code,
                  "unknown": unknown.status_code,
                  "events": response.content.count(b"BEGIN:VEVENT")}))
"""


def _instructor():
    """A bench instructor teaching every session of EDITIONS editions."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from courses.models import (
        CourseEdition,
        CoursePage,
        EditionStatus,
        Session,
        Venue,
    )
    from people.models import Role, User
    from people.services import calendar_feed_ensure

    from .data import ensure_dataset

    user, _ = User.objects.get_or_create(
        email="bench-feeds-instructor@makers-school.example",
        defaults={"first_name": "Bench", "last_name": "Instructor"},
    )
    user.groups.add(Group.objects.get_or_create(name=Role.INSTRUCTOR.value)[0])
    if not CourseEdition.objects.filter(code__startswith=CODE).exists():
        if not CoursePage.objects.live().exists():
            ensure_dataset(courses=5, editions_per_course=1, sessions_per_edition=1)
        courses = list(CoursePage.objects.live().values_list("pk", flat=True)[:20])
        venue = Venue.objects.first()
        now = timezone.now()
        editions = CourseEdition.objects.bulk_create(
            CourseEdition(
                course_id=courses[n % len(courses)],
                code=f"{CODE}{n:03d}",
                status=EditionStatus.OPEN,
                capacity=20,
                enrolment_opens_at=now - dt.timedelta(days=10),
                enrolment_closes_at=now + dt.timedelta(days=20 + n),
                venue=venue,
            )
            for n in range(EDITIONS)
        )
        Session.objects.bulk_create(
            Session(
                edition_id=edition.pk,
                sort_order=s,
                start=now + dt.timedelta(days=30 + n * 3 + s, hours=1),
                end=now + dt.timedelta(days=30 + n * 3 + s, hours=5),
                topic=f"Modulo {s + 1}",
                instructor=user,
            )
            for n, edition in enumerate(editions)
            for s in range(SESSIONS)
        )
    return user, calendar_feed_ensure(user=user)


def _cold_runs(ctx, url: str, unknown: str) -> tuple[list[float], list[float]]:
    """(cold feed GETs, first requests of the processes), one of each per
    fresh process: the process's first request (an unknown token, 404) pays
    its imports and URLconf; the feed after it finds no event cached."""
    samples, firsts = [], []
    for _ in range(COLD_RUNS):
        done = subprocess.run(
            [ctx.python, "-c", COLD_SCRIPT, url, HOST, unknown],
            cwd=ctx.base_dir,
            env=ctx.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if (result["status"], result["unknown"]) != (200, 404) or result[
            "events"
        ] != EDITIONS * SESSIONS:
            raise RuntimeError(f"cold GET gave {result}")
        samples.append(result["ms"])
        firsts.append(result["first_ms"])
    return samples, firsts


def run(ctx) -> list[Row]:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    name = f"feeds: instructor's personal feed, {EDITIONS * SESSIONS} sessions"
    try:
        user, feed = _instructor()
        url = reverse("calendar_feeds:personal", args=[feed.token])
        unknown = reverse("calendar_feeds:personal", args=["0" * 43])
        cold, firsts = _cold_runs(ctx, url, unknown)
    except Exception as error:  # noqa: BLE001 - one ERROR row
        return [error_row(name, error)]
    _load, load = load_note()
    cold_ms = statistics.median(cold)
    settings.MAKERS_CALENDAR_FEED_RATE = (1_000_000, 600)
    client = Client(HTTP_HOST=HOST)
    first = checked_get(client, url)()
    by_etag = checked_get(client, url, status=304, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = checked_get(
        client, url, status=304, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    rows = [
        Row(
            "feeds: a fresh process's first request (404), median",
            round(statistics.median(firsts), 1),
            "ms",
            note="imports and URLconf, paid once per worker (max_requests 5000); "
            f"spread {min(firsts):.1f}-{max(firsts):.1f} ms; {load}",
        ),
        Row(
            f"{name}: cold, fresh process, median",
            round(cold_ms, 1),
            "ms",
            f"<= {COLD_TARGET_MS}",
            cold_ms <= COLD_TARGET_MS,
            f"spread {min(cold):.1f}-{max(cold):.1f} ms over {COLD_RUNS} processes, "
            f"{len(first.content):,} bytes; {load}",
        ),
    ]
    for label, get in (("If-None-Match", by_etag), ("If-Modified-Since", by_date)):
        get()
        samples = samples_ms(get, repeats=REPEATS)
        median = statistics.median(samples)
        ratio = cold_ms / median
        _load, load = load_note()
        rows += [
            Row(
                f"{name}: unchanged, 304 ({label}), p95",
                round(nearest_rank(samples, 95), 2),
                "ms",
                note=f"median {median:.2f} ms over {REPEATS}; {load}",
            ),
            Row(
                f"{name}: cold / 304 ({label}), medians",
                round(ratio, 1),
                "x",
                f">= {RATIO_TARGET}",
                ratio >= RATIO_TARGET,
            ),
        ]
    return rows
