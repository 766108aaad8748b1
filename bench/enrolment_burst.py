"""Enrolment burst: 500 logged-in trainees post "enrol" to one 30-seat edition at once.

The app runs in gunicorn (several sync workers, production settings, PostgreSQL).
Every trainee has a real session and CSRF cookie; all requests start together
(threads behind a barrier, one connection each). The rows: confirmed (= capacity),
waitlisted and whether positions are exactly 1..n, 5xx, throughput and p50/p95
latency; then the same burst, the same trainees' sessions and CSRF tokens,
against a fair baseline: a Django view behind the same middleware, login
required, CSRF checked, that does one INSERT (bench/burst_urls.py), and the ratio
of the two throughputs (target >= 0.5) and the burst's p95 (target <= 3 s).
Before both, every worker is warmed up on both code paths (other trainees, a
separate edition), so neither burst pays for a worker's first requests.

This module is also gunicorn's WSGI entry point for the run
(`bench.enrolment_burst:application`): the site with the baseline's URL added.
"""

from __future__ import annotations

import contextlib
import http.client
import secrets
import statistics
import threading
import time

from .report import Row, error_row

NAME = "enrolment_burst"
TRAINEES = 500
CAPACITY = 30
WORKERS = 4
BASELINE_PATH = "/bench/baseline-insert/"
BASELINE_TABLE = "bench_baseline_insert"
# Requests each worker sees before the bursts (both the enrolment's and the
# baseline's code paths), so neither burst pays for a cold worker's first
# imports, URL resolver and template loading: on opening day the server has
# been answering for hours. In waves of 2 per worker, on a separate edition.
WARM_UP_PER_WORKER = 6
THROUGHPUT_RATIO_TARGET = 0.5
P95_TARGET_MS = 3000

_django_app = None


def application(environ, start_response):
    """WSGI entry for gunicorn: the Django application, with the baseline's URL."""
    global _django_app
    if _django_app is None:
        from django.conf import settings

        from makers_school.wsgi import application as django_application

        # Before the first request: Django reads ROOT_URLCONF per request.
        settings.ROOT_URLCONF = "bench.burst_urls"
        _django_app = django_application
    return _django_app(environ, start_response)


@contextlib.contextmanager
def _gunicorn(ctx):
    """The app (with its baseline endpoint) under gunicorn; yields (host, port)."""
    from .http import gunicorn_server

    with gunicorn_server(
        ctx,
        workers=WORKERS,
        app="bench.enrolment_burst:application",
        extra_args=("--backlog", "2048"),
        timeout=120,
    ) as base_url:
        host, port = base_url.removeprefix("http://").rsplit(":", 1)
        yield host, int(port)


def _prepare_edition_and_trainees(trainees: int = TRAINEES, capacity: int = CAPACITY):
    """A fresh open 30-seat edition and 500 trainees with sessions and CSRF cookies
    (other sizes for other modules: bench.http's enrolment stream)."""
    import datetime
    from importlib import import_module

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from courses.models import CourseEdition, CoursePage, EditionStatus
    from people.models import User

    from . import data

    data.ensure_dataset(courses=5)
    course = CoursePage.objects.filter(code__startswith="BENCH").order_by("pk").first()
    venue = data.ensure_venues()[0]
    run_id = secrets.token_hex(4)
    now = timezone.now()
    edition = CourseEdition.objects.create(
        course=course,
        code=f"BURST-{run_id}",
        status=EditionStatus.OPEN,
        capacity=capacity,
        enrolment_opens_at=now - datetime.timedelta(days=1),
        enrolment_closes_at=now + datetime.timedelta(days=30),
        venue=venue,
    )
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(email=f"burst-{run_id}-{n}@bench.example", password=unusable)
            for n in range(trainees)
        ]
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in users
        ]
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = []
    for user in users:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = secrets.token_hex(16)  # 32 characters, Django's secret format
        cookies.append(
            (
                f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                csrf,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        cursor.execute(
            f"CREATE TABLE {BASELINE_TABLE} (id bigserial PRIMARY KEY, "
            "user_id bigint NOT NULL, at timestamptz NOT NULL)"
        )
    return edition, cookies


def _burst(host: str, port: int, requests: list[tuple[str, dict, str]]):
    """Fire every request at once; return (statuses, latencies in ms, seconds)."""
    barrier = threading.Barrier(len(requests) + 1)
    statuses: list[int] = [0] * len(requests)
    latencies: list[float] = [0.0] * len(requests)

    def worker(index: int, path: str, headers: dict, body: str) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=300)
        try:
            connection.connect()
            barrier.wait()
            started = time.perf_counter()
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses[index] = response.status
            latencies[index] = (time.perf_counter() - started) * 1000
        except Exception:  # noqa: BLE001 - counted as a failed request
            statuses[index] = -1
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, *request))
        for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return statuses, latencies, time.perf_counter() - started


def _warm_up(host: str, port: int, requests: list[tuple[str, dict, str]]) -> None:
    """Send the warm-up requests in waves of 2 per worker; fail on a 5xx."""
    wave = 2 * WORKERS
    for start in range(0, len(requests), wave):
        statuses, _, _ = _burst(host, port, requests[start : start + wave])
        if any(status >= 500 or status < 0 for status in statuses):
            raise RuntimeError(f"warm-up request failed: {statuses}")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _figures(label: str, statuses, latencies, seconds) -> tuple[list[Row], float]:
    done = [ms for status, ms in zip(statuses, latencies, strict=True) if status > 0]
    # A refusal (4xx: CSRF, not signed in) counts too: both views answer 302.
    server_errors = sum(1 for status in statuses if status >= 400 or status < 0)
    throughput = len(statuses) / seconds if seconds else 0.0
    rows = [
        Row(
            f"{label}: 5xx or failed",
            server_errors,
            "requests",
            "= 0",
            server_errors == 0,
        ),
        Row(f"{label}: throughput", round(throughput, 1), "req/s"),
        Row(
            f"{label}: latency p50",
            round(statistics.median(done), 1) if done else None,
            "ms",
        ),
        Row(
            f"{label}: latency p95",
            round(_percentile(done, 0.95), 1) if done else None,
            "ms",
        ),
    ]
    return rows, throughput


def _requests(path: str, cookies: list[tuple[str, str]]) -> list[tuple[str, dict, str]]:
    """One signed-in POST per trainee (session cookie, CSRF header) to path."""
    return [
        (
            path,
            {
                "Cookie": cookie,
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
                "Host": "127.0.0.1",
            },
            "next=/me/courses/",
        )
        for cookie, csrf in cookies
    ]


def run(ctx) -> list[Row]:
    from enrolment.models import Enrolment, EnrolmentStatus

    edition, cookies = _prepare_edition_and_trainees()
    warm = WARM_UP_PER_WORKER * WORKERS
    warm_edition, warm_cookies = _prepare_edition_and_trainees(
        trainees=warm, capacity=warm // 2
    )
    enrol_requests = _requests(f"/me/editions/{edition.pk}/enrol/", cookies)
    baseline_requests = [
        (BASELINE_PATH, headers, body) for _, headers, body in enrol_requests
    ]
    warm_enrol = _requests(f"/me/editions/{warm_edition.pk}/enrol/", warm_cookies)
    warm_requests = [
        request
        for enrol in warm_enrol
        for request in (enrol, (BASELINE_PATH, *enrol[1:]))
    ]
    rows: list[Row] = []
    with _gunicorn(ctx) as (host, port):
        _warm_up(host, port, warm_requests)
        statuses, latencies, seconds = _burst(host, port, enrol_requests)
        enrol_rows, enrol_rate = _figures(
            "enrolment burst", statuses, latencies, seconds
        )
        statuses, latencies, seconds = _burst(host, port, baseline_requests)
        base_rows, base_rate = _figures(
            "baseline Django view (login, CSRF, one INSERT)",
            statuses,
            latencies,
            seconds,
        )

    rows_in_db = Enrolment.objects.filter(edition=edition)
    confirmed = rows_in_db.filter(status=EnrolmentStatus.CONFIRMED).count()
    positions = sorted(
        rows_in_db.filter(status=EnrolmentStatus.WAITLISTED).values_list(
            "waitlist_position", flat=True
        )
    )
    expected_waitlist = TRAINEES - CAPACITY
    exact = positions == list(range(1, expected_waitlist + 1))
    rows.append(
        Row(
            "enrolment burst: confirmed",
            confirmed,
            "enrolments",
            f"= {CAPACITY}",
            confirmed == CAPACITY,
        )
    )
    rows.append(
        Row(
            "enrolment burst: waitlisted",
            len(positions),
            "enrolments",
            f"= {expected_waitlist}",
            len(positions) == expected_waitlist,
        )
    )
    rows.append(
        Row("enrolment burst: positions exactly 1..n", int(exact), "bool", "= 1", exact)
    )
    p95 = enrol_rows[3].value
    enrol_rows[3] = Row(
        enrol_rows[3].name,
        p95,
        "ms",
        f"<= {P95_TARGET_MS}",
        p95 is not None and p95 <= P95_TARGET_MS,
    )
    rows += enrol_rows + base_rows
    if base_rate:
        ratio = enrol_rate / base_rate
        rows.append(
            Row(
                "enrolment burst: throughput ratio enrol/baseline",
                round(ratio, 3),
                "ratio",
                f">= {THROUGHPUT_RATIO_TARGET}",
                ratio >= THROUGHPUT_RATIO_TARGET,
            )
        )
    else:
        rows.append(error_row("enrolment burst: throughput ratio", "no baseline"))
    return rows
