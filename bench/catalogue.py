"""Catalogue rows: queries per page at 5 and at 500 courses, in-process time.

Needs to run before any module that grows the dataset past 5 courses (it measures
the small catalogue first, then grows it with bench.data.ensure_dataset).
"""

from __future__ import annotations

import re

from .report import Row, error_row
from .timing import percentile, query_count, samples_ms

NAME = "catalogue"
SMALL = 5
BIG = 500
EDITIONS_PER_COURSE = 3
SESSIONS_PER_EDITION = 10
REPEATS = 50
HOST = "127.0.0.1"  # the only ALLOWED_HOSTS of the bench's production settings


def _client():
    from django.test import Client

    return Client(HTTP_HOST=HOST)


TRAINEE_EMAIL = "bench-trainee@bench.example"
UNCACHED_TARGET_MS = 25  # issue 11: p50 server time, uncached, 500 courses


def signed_in_client():
    """A test Client signed in as the bench trainee (created once, verified email).

    Enrolled in the first bench course's first edition, so the course page shows
    "Your enrolment" as it does for a real trainee.
    """
    from allauth.account.models import EmailAddress

    from people.models import User

    user, created = User.objects.get_or_create(
        email=TRAINEE_EMAIL, defaults={"first_name": "Bench", "last_name": "Trainee"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    client = _client()
    client.force_login(user)
    return client


def _get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def count_queries(client, url: str) -> int:
    """Queries of one anonymous, uncached render of `url` (after a warm-up)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.cache import page_cache_invalidate

    for _ in range(2):  # warm-up: site root paths, content types, fragments
        page_cache_invalidate()  # (the first request ever creates the site
        _get(client, url)  # settings row, a save that renews the fragments)
    page_cache_invalidate()
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured.captured_queries)


def server_times(
    client, url: str, *, cached: bool, repeats: int = REPEATS, cold: bool = False
):
    """Wall time (ms) of `repeats` in-process anonymous GETs of `url`.

    Uncached: the anonymous page cache is invalidated before every request (a
    generation bump, as when staff publish), so each request renders the page.
    Cached: the page cache is filled once, then every request is a hit.
    """
    from core.cache import content_changed, page_cache_invalidate

    invalidate = content_changed if cold else page_cache_invalidate
    page_cache_invalidate()
    response = _get(client, url)  # warm-up, and fills the page cache
    if cached:
        # (a first answer that sets a cookie, the signed-in hint say, is not kept)
        for _ in range(3):
            response = _get(client, url)
            if response.get("X-Page-Cache") == "hit":
                break
        else:
            raise RuntimeError(f"{url} is not served from the page cache")
    before = None if cached else invalidate
    samples = samples_ms(lambda: _get(client, url), repeats=repeats, before=before)
    return percentile(samples, 50), percentile(samples, 95)


def fragments_url(client, url: str) -> str:
    """What site.js asks for a signed-in person on `url` (portal.fragments)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    html = _get(client, url).content.decode()
    editions = re.findall(r'data-island-edition="(\d+)"', html)
    query = {"next": url, **({"editions": ",".join(editions)} if editions else {})}
    return f"{reverse('portal:fragments')}?{urlencode(query)}"


def fragment_times(client, url: str, *, repeats: int = REPEATS):
    """Wall time (ms) of the signed-in person's own part of `url`, and its queries."""
    own = fragments_url(client, url)
    response = _get(client, own)
    if b"site-logout-form" not in response.content:
        raise RuntimeError(f"{own} did not answer as for a signed-in trainee")
    count = query_count(lambda: _get(client, own))
    samples = samples_ms(lambda: _get(client, own), repeats=repeats)
    return percentile(samples, 50), percentile(samples, 95), count


def _query_rows(client, pages: dict[str, str], size: int, small: dict) -> list[Row]:
    rows = []
    for label, url in pages.items():
        name = f"queries: {label}, {size} courses"
        try:
            count = count_queries(client, url)
        except Exception as error:  # a page that fails is a row, not a crash
            rows.append(error_row(name, error))
            continue
        if size == SMALL:
            small[label] = count
            rows.append(Row(name, count, "queries", "bounded", None))
        else:
            base = small.get(label)
            target = f"= {base} (at {SMALL})" if base is not None else "= small"
            rows.append(
                Row(name, count, "queries", target, base is not None and count == base)
            )
    return rows


def run(ctx) -> list[Row]:
    from . import data

    rows: list[Row] = []
    client = _client()
    shape = {
        "editions_per_course": EDITIONS_PER_COURSE,
        "sessions_per_edition": SESSIONS_PER_EDITION,
    }

    already = data.dataset_stats().courses
    small_stats = data.ensure_dataset(courses=SMALL, **shape)
    pages = {
        "catalogue": data.catalogue_url(),
        "course page": data.course_url(1),
        "home": data.home_url(),
    }
    ctx.shared["pages"] = pages
    small: dict[str, int] = {}
    if already <= SMALL:
        rows += _query_rows(client, pages, SMALL, small)
    else:
        rows.append(
            error_row(
                f"queries at {SMALL} courses",
                f"the database already holds {already} courses (--reuse-db?)",
            )
        )

    stats = data.ensure_dataset(courses=BIG, **shape)
    total_seconds = small_stats.seconds + stats.seconds
    rows.append(
        Row(
            f"bench data: {stats.courses} courses, {stats.editions:,} editions, "
            f"{stats.sessions:,} sessions, {stats.competencies} competencies",
            round(total_seconds, 1),
            "s",
            "<= 180",
            total_seconds <= 180,
        )
    )
    rows += _query_rows(client, pages, BIG, small)

    for label in ("catalogue", "course page"):
        url = pages[label]
        for cached in (False, True):
            kind = "cached" if cached else "uncached"
            name = f"server time: {label} {kind}, {BIG} courses"
            try:
                p50, p95 = server_times(client, url, cached=cached)
            except Exception as error:
                rows.append(error_row(f"{name} p50/p95", error))
                continue
            if cached:
                rows.append(Row(f"{name} p50", round(p50, 2), "ms", "", None))
            else:
                rows.append(
                    Row(
                        f"{name} p50",
                        round(p50, 2),
                        "ms",
                        f"<= {UNCACHED_TARGET_MS}",
                        p50 <= UNCACHED_TARGET_MS,
                        "page cache bumped before each request, fragments warm "
                        "(as after a seat change, or for a signed-in visitor)",
                    )
                )
            rows.append(Row(f"{name} p95", round(p95, 2), "ms", "", None))
        # A signed-in trainee: the shared page from the page cache, as for a
        # visitor, then their own part of it (menu, enrolments: portal.fragments),
        # the one request that reads their session.
        name = f"server time: {label} signed-in trainee, {BIG} courses"
        trainee = signed_in_client()
        try:
            p50, p95 = server_times(trainee, url, cached=True)
            own50, own95, own_queries = fragment_times(trainee, url)
        except Exception as error:
            rows.append(error_row(f"{name} p50/p95", error))
            continue
        rows += [
            Row(
                f"{name}: the page p50",
                round(p50, 2),
                "ms",
                f"<= {UNCACHED_TARGET_MS}",
                p50 <= UNCACHED_TARGET_MS,
                "the shared page, a page-cache hit as for a visitor",
            ),
            Row(
                f"{name}: their own part p50",
                round(own50, 2),
                "ms",
                f"<= {UNCACHED_TARGET_MS}",
                own50 <= UNCACHED_TARGET_MS,
                "portal fragments: account menu and enrolment per edition",
            ),
            Row(f"{name}: their own part p95", round(own95, 2), "ms", "", None),
            Row(
                f"queries: {label} signed-in trainee's own part",
                own_queries,
                "queries",
                "<= 8",
                own_queries <= 8,
            ),
        ]
        # Cold: the content generation bumped too (after a staff edit, once).
        try:
            p50, p95 = server_times(client, url, cached=False, cold=True)
        except Exception as error:
            rows.append(error_row(f"server time: {label} cold", error))
            continue
        rows.append(
            Row(
                f"server time: {label} cold (after an edit), {BIG} courses p50",
                round(p50, 2),
                "ms",
                "",
                None,
                "page cache and fragments invalidated before each request",
            )
        )
    return rows
