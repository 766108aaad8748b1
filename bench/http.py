"""Anonymous throughput over HTTP: gunicorn (2 sync workers) measured with wrk.

Each dynamic page is measured beside a static file of the same size (the page's
own bytes, written under STATIC_ROOT and served by whitenoise in the same
gunicorn), and the row that matters is the ratio dynamic/static.

gunicorn_server() and run_wrk() are reusable by other bench modules.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .report import Row, error_row

NAME = "http"
WORKERS = 2
CONNECTIONS = 32
THREADS = 2
DURATION_S = 10
RATIO_TARGET = 0.7
SIGNED_IN_RATIO_TARGET = 0.35  # issue 11: a signed-in trainee's pages
STREAM_RATIO_TARGET = 0.5  # issue 11: anonymous catalogue during enrolments
STREAM_RATE = 10  # enrolments per second during the stream row
SIGNED_IN_PAGES = ("catalogue", "course page")
HOST = "127.0.0.1"
UNCACHED_PAGES = ("catalogue",)  # also measured with the page cache bypassed
STATIC_SUBDIR = "bench"  # under STATIC_ROOT, removed again at the end


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port = sock.getsockname()[1]
    if port == 8000:  # leave the development server's port alone
        return free_port()
    return port


def fetch(url: str, timeout: float = 30) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


@contextlib.contextmanager
def gunicorn_server(
    ctx,
    *,
    workers: int = WORKERS,
    worker_class: str = "sync",
    app: str = "makers_school.wsgi",
    extra_args: tuple[str, ...] = (),
    timeout: int = 60,
):
    """Runs gunicorn with the bench's production settings; yields its base URL.

    Bound to 127.0.0.1 on a free port; always stopped (its whole process group)
    when the block ends, on error too.
    """
    port = free_port()
    log_path = Path(ctx.out_dir) / f"gunicorn-{port}.log"
    gunicorn = Path(ctx.python).with_name("gunicorn")
    command = [
        str(gunicorn),
        app,
        *extra_args,
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        str(timeout),
        "--error-logfile",
        str(log_path),
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command,
            cwd=ctx.base_dir,
            env=ctx.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    base_url = f"http://{HOST}:{port}"
    try:
        _wait_until_listening(process, port, log_path)
        yield base_url
    finally:
        _stop(process)


def _wait_until_listening(process, port: int, log_path: Path, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with {process.returncode}: "
                + log_path.read_text()[-2000:]
            )
        with contextlib.suppress(OSError):
            socket.create_connection((HOST, port), timeout=1).close()
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on {port} within {timeout} s")


def _stop(process) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@dataclass(frozen=True)
class WrkResult:
    requests_per_s: float
    requests: int
    non_2xx: int
    socket_errors: int
    latency_p50_ms: float | None
    latency_p99_ms: float | None
    output: str


def ensure_wrk() -> str:
    """Path of wrk; installs Debian's package when missing and running as root."""
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=False,
            timeout=300,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    path = shutil.which("wrk")
    if not path:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    return path


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(
    url: str,
    *,
    connections: int = CONNECTIONS,
    threads: int = THREADS,
    duration_s: int = DURATION_S,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    """wrk against `url` for `duration_s` seconds (bounded by a hard timeout)."""
    header_args = []
    for name, value in (headers or {}).items():
        header_args += ["-H", f"{name}: {value}"]
    completed = subprocess.run(
        [
            ensure_wrk(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration_s}s",
            "--timeout",
            "10s",
            "--latency",
            *header_args,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=duration_s + 60,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    out = completed.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    lat = {
        pct: _ms(*m.groups())
        for pct in ("50", "99")
        if (m := re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\b", out, re.M))
    }
    if not rps or not total:
        raise RuntimeError(f"could not read wrk's output: {out[-500:]}")
    return WrkResult(
        requests_per_s=float(rps.group(1)),
        requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
        latency_p50_ms=lat.get("50"),
        latency_p99_ms=lat.get("99"),
        output=out,
    )


def _write_static_twins(ctx, pages: dict[str, str]) -> tuple[Path, dict[str, str]]:
    """For each page, a static file with the page's own bytes; returns their URLs.

    The bytes are what gunicorn serves (a first, short-lived gunicorn: whitenoise
    only sees files present when it starts, so the measuring server starts after).
    """
    from django.conf import settings

    directory = Path(settings.STATIC_ROOT) / STATIC_SUBDIR
    directory.mkdir(parents=True, exist_ok=True)
    static_urls = {}
    with gunicorn_server(ctx, workers=1) as base_url:
        for label, url in pages.items():
            status, _, body = fetch(base_url + url)
            if status != 200:
                raise RuntimeError(f"GET {url} answered {status}")
            name = re.sub(r"[^a-z0-9]+", "-", label) + ".html"
            (directory / name).write_bytes(body)
            static_urls[label] = f"{settings.STATIC_URL}{STATIC_SUBDIR}/{name}"
    return directory, static_urls


def _note(result: WrkResult, size: int, extra: str = "") -> str:
    parts = [f"{size:,} B", f"{result.requests:,} requests"]
    if result.latency_p50_ms is not None:
        parts.append(
            f"latency p50 {result.latency_p50_ms:.1f} ms, p99 "
            f"{result.latency_p99_ms:.1f} ms"
        )
    if result.non_2xx:
        parts.append(f"{result.non_2xx} non-2xx responses")
    if result.socket_errors:
        parts.append(f"{result.socket_errors} socket errors")
    if extra:
        parts.append(extra)
    return "; ".join(parts)


def measure_page(base_url: str, label: str, url: str, static_url: str) -> list[Row]:
    """Dynamic page vs its static twin: three rows (dynamic, static, ratio)."""
    _, headers, body = fetch(base_url + url)
    first_state = headers.get("X-Page-Cache", "absent")
    for _ in range(4 * WORKERS):  # fill each worker's page cache
        fetch(base_url + url)
    probes = 10
    hits = sum(
        fetch(base_url + url)[1].get("X-Page-Cache") == "hit" for _ in range(probes)
    )
    _, _, static_body = fetch(base_url + static_url)
    size_note = ""
    if len(static_body) != len(body):
        size_note = f"static twin is {len(static_body):,} B"
    dynamic = run_wrk(base_url + url)
    static = run_wrk(base_url + static_url)
    valid = dynamic.non_2xx == 0 and dynamic.socket_errors == 0
    ratio = dynamic.requests_per_s / static.requests_per_s
    what = f"anonymous {label} ({url})"
    return [
        Row(
            f"HTTP {what}",
            round(dynamic.requests_per_s, 1),
            "req/s",
            "",
            None,
            _note(
                dynamic,
                len(body),
                f"X-Page-Cache first: {first_state}, then {hits}/{probes} hits"
                + (f"; {size_note}" if size_note else ""),
            ),
        ),
        Row(
            f"HTTP static file, same size as {label}",
            round(static.requests_per_s, 1),
            "req/s",
            "",
            None,
            _note(static, len(static_body)),
        ),
        Row(
            f"HTTP ratio dynamic/static: {label}",
            round(ratio, 3),
            "ratio",
            f">= {RATIO_TARGET}",
            valid and ratio >= RATIO_TARGET,
            "" if valid else "dynamic run had errors: see its note",
        ),
    ]


def measure_uncached(base_url: str, label: str, url: str) -> Row:
    """The same page with the page cache bypassed: every request renders.

    A messages cookie (a message waiting, as after a form: here an invalid one,
    which Django ignores) makes PageCacheMiddleware step aside. This is what
    every visitor gets right after an invalidation, and what a cache-less
    deployment serves.
    """
    result = run_wrk(base_url + url, headers={"Cookie": "messages=bench"})
    return Row(
        f"HTTP {label} ({url}), page cache bypassed",
        round(result.requests_per_s, 1),
        "req/s",
        "",
        None,
        _note(result, len(fetch(base_url + url)[2])),
    )


EDIT_SNIPPET = """
from courses.models import CoursePage
page = CoursePage.objects.get(code={code!r})
page.title = {title!r}
page.save()
"""


def _retitle_in_another_process(ctx, env: dict, code: str, title: str) -> None:
    """Saves a course's title through `manage.py shell`: a process of its own."""
    subprocess.run(
        [
            ctx.python,
            str(Path(ctx.base_dir) / "manage.py"),
            "shell",
            "-c",
            EDIT_SNIPPET.format(code=code, title=title),
        ],
        cwd=ctx.base_dir,
        env=env,
        check=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )


def measure_cross_process_invalidation(
    ctx, base_url: str, url: str, *, env: dict | None = None, suffix: str = ""
) -> Row:
    """Does a change made by another process reach gunicorn's cached pages?

    Staff edit in a gunicorn worker, tasks run in db_worker processes: every other
    process must stop serving the old page at once. The bench renames course 1 in
    a separate `manage.py shell` (post_save bumps the page-cache generation, as a
    staff edit does), then asks gunicorn for the page `probes` times. The title is
    restored afterwards the same way.
    """
    from courses.models import CoursePage

    from .data import CODE_PREFIX

    env = env or ctx.env
    probes = 10
    code = f"{CODE_PREFIX}0001"
    original = CoursePage.objects.get(code=code).title
    for _ in range(4 * WORKERS):  # both workers have the page cached
        fetch(base_url + url)
    marker = f"{original} (rinominato dal bench)"
    _retitle_in_another_process(ctx, env, code, marker)
    try:
        stale = sum(
            marker.encode() not in fetch(base_url + url)[2] for _ in range(probes)
        )
    finally:
        _retitle_in_another_process(ctx, env, code, original)
    return Row(
        f"stale responses after a page edit in another process{suffix}",
        stale,
        f"of {probes}",
        "= 0",
        stale == 0,
        "an edit made in one process did not reach the cache of the others"
        if stale
        else "",
    )


def trainee_cookie() -> str:
    """Session cookie of the bench trainee (a real session in the session store)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from people.models import User

    from .catalogue import signed_in_client

    signed_in_client()  # creates the trainee once
    user = User.objects.get(email="bench-trainee@bench.example")
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def measure_signed_in(
    base_url: str, label: str, url: str, static_rate: float, cookie: str
) -> list[Row]:
    """The page as a signed-in trainee gets it vs static, and their own part of it.

    The page is the shared one (core.cache: the same for everyone, from the page
    cache, session untouched); the trainee's menu and enrolments come from one
    more request that site.js makes (portal.fragments), measured beside it.
    """
    from django.urls import reverse

    headers = {"Cookie": cookie}
    fetch_with(base_url + url, headers)  # (the first answer sets the hint cookie)
    status, page_headers, body = fetch_with(base_url + url, headers)
    shared = page_headers.get("X-Page-Cache") in ("hit", "miss")
    result = run_wrk(base_url + url, headers=headers)
    valid = result.non_2xx == 0 and result.socket_errors == 0 and shared
    ratio = result.requests_per_s / static_rate if static_rate else 0.0
    editions = re.findall(rb'data-island-edition="(\d+)"', body)
    own_url = reverse("portal:fragments") + "?next=" + url
    if editions:
        own_url += "&editions=" + ",".join(e.decode() for e in editions)
    _, _, own_body = fetch_with(base_url + own_url, headers)
    own_signed_in = b"site-logout-form" in own_body
    own = run_wrk(base_url + own_url, headers=headers)
    return [
        Row(
            f"HTTP signed-in trainee {label} ({url})",
            round(result.requests_per_s, 1),
            "req/s",
            "",
            None,
            _note(result, len(body), "" if shared else "NOT the shared page"),
        ),
        Row(
            f"HTTP ratio signed-in/static: {label}",
            round(ratio, 3),
            "ratio",
            f">= {SIGNED_IN_RATIO_TARGET}",
            valid and ratio >= SIGNED_IN_RATIO_TARGET,
        ),
        Row(
            f"HTTP signed-in trainee's own part of the {label} (portal fragments)",
            round(own.requests_per_s, 1),
            "req/s",
            "",
            None,
            _note(own, len(own_body), "" if own_signed_in else "NOT signed in"),
        ),
    ]


def fetch_with(url: str, headers: dict, data: bytes | None = None):
    request = urllib.request.Request(
        url, data=data, headers={"Accept-Encoding": "identity", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _enrol(base_url: str, edition_id: int, cookie_csrf: tuple[str, str]) -> int:
    cookie, csrf = cookie_csrf
    status, _, _ = fetch_with(
        f"{base_url}/me/editions/{edition_id}/enrol/",
        {
            "Cookie": cookie,
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": base_url + "/",
        },
        data=b"next=/me/courses/",
    )
    return status


def measure_during_enrolments(
    base_url: str, url: str, static_rate: float, news_url: str
) -> list[Row]:
    """Anonymous catalogue under wrk while ~STREAM_RATE enrolments/s run (each a
    seat change of a bench course); then whether a news page stays a hit
    through an enrolment."""
    import threading

    from .enrolment_burst import _prepare_edition_and_trainees

    count = STREAM_RATE * (DURATION_S + 4) + 1
    edition, cookies = _prepare_edition_and_trainees(trainees=count, capacity=count)
    probes = 4 * WORKERS
    # Until every worker has the news page cached: gunicorn does not deal
    # requests round-robin, so a fixed number of warm-up requests may miss one.
    streak = 0
    for _ in range(25 * probes):
        hit = fetch(base_url + news_url)[1].get("X-Page-Cache") == "hit"
        streak = streak + 1 if hit else 0
        if streak >= 2 * probes:
            break
    states = [fetch(base_url + news_url)[1].get("X-Page-Cache") for _ in range(probes)]
    before = "hit" if set(states) == {"hit"} else ",".join(map(str, states))
    first_status = _enrol(base_url, edition.pk, cookies[0])
    states = [fetch(base_url + news_url)[1].get("X-Page-Cache") for _ in range(probes)]
    after = "hit" if set(states) == {"hit"} else ",".join(map(str, states))
    news_hit = before == "hit" and after == "hit" and first_status < 400

    stop = threading.Event()
    statuses: list[int] = []

    def stream() -> None:
        # One thread per enrolment, started every 1/STREAM_RATE s: the rate holds
        # however long each answer takes under the wrk load.
        started = []
        for pair in cookies[1:]:
            if stop.is_set():
                break
            worker = threading.Thread(
                target=lambda pair=pair: statuses.append(
                    _enrol(base_url, edition.pk, pair)
                ),
                daemon=True,
            )
            worker.start()
            started.append(worker)
            time.sleep(1 / STREAM_RATE)
        for worker in started:
            worker.join(timeout=60)

    thread = threading.Thread(target=stream, daemon=True)
    for _ in range(4 * WORKERS):
        fetch(base_url + url)
    thread.start()
    try:
        result = run_wrk(base_url + url)
    finally:
        stop.set()
        thread.join(timeout=60)
    done = len(statuses)
    failed = sum(1 for status in statuses if status >= 400)
    rate = done / DURATION_S
    ratio = result.requests_per_s / static_rate if static_rate else 0.0
    valid = result.non_2xx == 0 and result.socket_errors == 0 and failed == 0
    return [
        Row(
            f"HTTP anonymous catalogue ({url}) during enrolments",
            round(result.requests_per_s, 1),
            "req/s",
            "",
            None,
            _note(
                result,
                len(fetch(base_url + url)[2]),
                f"{done} enrolments in the run (~{rate:.1f}/s), {failed} refused",
            ),
        ),
        Row(
            "HTTP ratio catalogue during enrolments/static",
            round(ratio, 3),
            "ratio",
            f">= {STREAM_RATIO_TARGET}",
            valid and ratio >= STREAM_RATIO_TARGET,
        ),
        Row(
            f"news page ({news_url}) stays a cache hit through an enrolment",
            int(news_hit),
            "bool",
            "= 1",
            news_hit,
            f"X-Page-Cache before: {before}, after: {after}; enrol {first_status}",
        ),
    ]


def run(ctx) -> list[Row]:
    from django.conf import settings

    from . import data

    data.ensure_dataset(courses=500)
    pages = ctx.shared.get("pages") or {
        "catalogue": data.catalogue_url(),
        "course page": data.course_url(1),
        "home": data.home_url(),
    }
    ensure_wrk()
    rows: list[Row] = []
    try:
        _, static_urls = _write_static_twins(ctx, pages)
        with gunicorn_server(ctx) as base_url:
            static_rates: dict[str, float] = {}
            for label, url in pages.items():
                try:
                    page_rows = measure_page(base_url, label, url, static_urls[label])
                    static_rates[label] = page_rows[1].value
                    rows += page_rows
                except Exception as error:
                    rows.append(error_row(f"HTTP {label}", error))
            try:
                cookie = trainee_cookie()
                for label in SIGNED_IN_PAGES:
                    rows += measure_signed_in(
                        base_url, label, pages[label], static_rates[label], cookie
                    )
            except Exception as error:
                rows.append(error_row("HTTP signed-in trainee", error))
            for label in UNCACHED_PAGES:
                try:
                    rows.append(measure_uncached(base_url, label, pages[label]))
                except Exception as error:
                    rows.append(error_row(f"HTTP {label}, cache bypassed", error))
            try:
                rows.append(
                    measure_cross_process_invalidation(
                        ctx, base_url, pages["course page"]
                    )
                )
            except Exception as error:
                rows.append(error_row("stale responses after an edit", error))
            try:
                rows += measure_during_enrolments(
                    base_url,
                    pages["catalogue"],
                    static_rates["catalogue"],
                    data.news_url(),
                )
            except Exception as error:
                rows.append(error_row("HTTP catalogue during enrolments", error))
    finally:
        shutil.rmtree(Path(settings.STATIC_ROOT) / STATIC_SUBDIR, ignore_errors=True)
    return rows
