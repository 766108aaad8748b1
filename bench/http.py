"""Anonymous throughput over HTTP: gunicorn (2 sync workers) measured with wrk.

Every request asks as a browser does (Accept-Encoding: gzip, br: BROWSER). Each
dynamic page is measured beside its static twin, the same bytes (the page and
its gzip, written under STATIC_ROOT and served by whitenoise in the same
gunicorn), REPEATS times interleaved (bench.rigour), and the row that matters
is the median of the ratios dynamic/static, with its spread. nginx, the
production shape, the traffic mix and the signed-in page view are in
bench/http_browser.py.

gunicorn_server() and run_wrk() are reusable by other bench modules.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import rigour
from .report import Row, error_row

NAME = "http"
WORKERS = 2
CONNECTIONS = 32
THREADS = 2
DURATION_S = 10
# One run of a figure repeated rigour.REPEATS times beside its comparator.
REPEAT_DURATION_S = int(os.environ.get("BENCH_REPEAT_SECONDS", 4))
# The parts of the module to run (a quicker try-out: BENCH_HTTP_PARTS=mix).
PARTS = os.environ.get("BENCH_HTTP_PARTS", "pages,mix").split(",")
# What every browser sends: the page cache keeps pages compressed for it.
BROWSER = {"Accept-Encoding": "gzip, br"}
# Master pid of each running gunicorn_server, by base URL: its process group's
# CPU time (server_cpu_seconds).
SERVER_PIDS: dict[str, int] = {}
RATIO_TARGET = 0.7
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
    SERVER_PIDS[base_url] = process.pid
    try:
        _wait_until_listening(process, port, log_path)
        yield base_url
    finally:
        SERVER_PIDS.pop(base_url, None)
        _stop(process)


def server_cpu_seconds(base_url: str) -> float:
    """CPU time (user + system) of a gunicorn_server's processes so far: every
    live process of its group, plus the workers it has reaped."""
    group = SERVER_PIDS[base_url]
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) != group:  # fields[2]: pgrp (field 5 of stat)
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if int(entry) == group:
            total += int(fields[13]) + int(fields[14])  # reaped children
    return total / tick


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
    script: Path | None = None,
) -> WrkResult:
    """wrk against `url` for `duration_s` seconds (bounded by a hard timeout),
    asking as a browser does (BROWSER headers, unless `headers` says otherwise);
    `script`: a wrk Lua script (its output is in WrkResult.output)."""
    header_args = []
    for name, value in {**BROWSER, **(headers or {})}.items():
        header_args += ["-H", f"{name}: {value}"]
    if script is not None:
        header_args += ["-s", str(script)]
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


def write_twin(base_url: str, url: str, name: str) -> str:
    """A static file with the bytes gunicorn sends for `url`, plain and gzip (the
    stored gzip itself, as whitenoise and nginx's gzip_static send it to a
    browser); returns its URL."""
    import gzip

    from django.conf import settings

    directory = Path(settings.STATIC_ROOT) / STATIC_SUBDIR
    (directory / name).parent.mkdir(parents=True, exist_ok=True)
    status, headers, body = fetch_with(base_url + url, BROWSER)
    if status != 200:
        raise RuntimeError(f"GET {url} answered {status}")
    if headers.get("Content-Encoding") == "gzip":
        (directory / f"{name}.gz").write_bytes(body)
        body = gzip.decompress(body)
    (directory / name).write_bytes(body)
    return f"{settings.STATIC_URL}{STATIC_SUBDIR}/{name}"


def _write_static_twins(ctx, pages: dict[str, str]) -> tuple[Path, dict[str, str]]:
    """For each page, a static twin (write_twin); returns their URLs.

    The bytes are what gunicorn serves (a first, short-lived gunicorn: whitenoise
    only sees files present when it starts, so the measuring server starts after).
    """
    from django.conf import settings

    directory = Path(settings.STATIC_ROOT) / STATIC_SUBDIR
    directory.mkdir(parents=True, exist_ok=True)
    static_urls = {}
    with gunicorn_server(ctx, workers=1) as base_url:
        for label, url in pages.items():
            fetch(base_url + url)  # the second answer is the stored one
            name = re.sub(r"[^a-z0-9]+", "-", label) + ".html"
            static_urls[label] = write_twin(base_url, url, name)
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


def wrk_measure(url: str, results: list, **kwargs) -> Callable[[], float]:
    """One REPEAT_DURATION_S wrk run of url, its result kept in `results`."""

    def measure() -> float:
        result = run_wrk(url, duration_s=REPEAT_DURATION_S, **kwargs)
        results.append(result)
        return result.requests_per_s

    return measure


@dataclass(frozen=True)
class Compared:
    """A figure measured REPEATS times interleaved with its comparator."""

    rates: list[float]  # the figure's (per `per` requests: a page view is 2)
    static_rates: list[float]
    results: list[WrkResult]
    static_results: list[WrkResult]

    @property
    def errors(self) -> int:
        return sum(r.non_2xx + r.socket_errors for r in self.results)

    @property
    def ratios(self) -> list[float]:
        return rigour.ratio_samples(self.rates, self.static_rates)


def compare(page: tuple[str, dict], static: tuple[str, dict], per: int = 1):
    """(url, run_wrk keyword arguments) of the figure and of its comparator."""
    results, static_results = [], []
    samples = rigour.interleaved(
        {
            "page": wrk_measure(page[0], results, **page[1]),
            "static": wrk_measure(static[0], static_results, **static[1]),
        }
    )
    return Compared(
        rates=[rate / per for rate in samples["page"]],
        static_rates=samples["static"],
        results=results,
        static_results=static_results,
    )


def _latency(results: list[WrkResult]) -> str:
    p50 = [r.latency_p50_ms for r in results if r.latency_p50_ms is not None]
    p99 = [r.latency_p99_ms for r in results if r.latency_p99_ms is not None]
    if not p50 or not p99:
        return ""
    p50, p99 = statistics.median(p50), statistics.median(p99)
    return f"latency p50 {p50:.1f} ms, p99 {p99:.1f} ms (medians)"


def compared_rows(
    compared: Compared,
    *,
    names: tuple[str, str, str],
    target: float,
    unit: str = "req/s",
    note: str = "",
    valid: bool = True,
) -> list[Row]:
    """The figure, its comparator and their ratio: medians with their spread."""
    figure, comparator, ratio = names
    ratios = rigour.spread(compared.ratios)
    errors = compared.errors
    ok = valid and errors == 0
    figure_note = "; ".join(
        part
        for part in (
            rigour.spread(compared.rates).text(f" {unit}", 1),
            _latency(compared.results),
            f"{errors} non-2xx or socket errors" if errors else "",
            note,
        )
        if part
    )
    return [
        Row(
            figure,
            round(rigour.spread(compared.rates).median, 1),
            unit,
            "",
            None,
            figure_note,
        ),
        Row(
            comparator,
            round(rigour.spread(compared.static_rates).median, 1),
            "req/s",
            "",
            None,
            "; ".join(
                part
                for part in (
                    rigour.spread(compared.static_rates).text(" req/s", 1),
                    _latency(compared.static_results),
                )
                if part
            ),
        ),
        Row(
            ratio,
            round(ratios.median, 3),
            "ratio",
            f">= {target}",
            ok and ratios.median >= target,
            ratios.text("", 3) + ("" if ok else "; the figure's runs had errors"),
        ),
    ]


def _cache_state(base_url: str, url: str) -> str:
    """X-Page-Cache of the first request, then of 10 more after a warm-up."""
    first = fetch_with(base_url + url, BROWSER)[1].get("X-Page-Cache", "absent")
    for _ in range(4 * WORKERS):  # fill each worker's page cache
        fetch_with(base_url + url, BROWSER)
    probes = [fetch_with(base_url + url, BROWSER)[1] for _ in range(10)]
    hits = sum(h.get("X-Page-Cache") == "hit" for h in probes)
    encoding = probes[-1].get("Content-Encoding", "none")
    return (
        f"X-Page-Cache first: {first}, then {hits}/10 hits; Content-Encoding {encoding}"
    )


def measure_page(base_url: str, label: str, url: str, static_url: str) -> list[Row]:
    """Dynamic page vs its static twin, interleaved: three rows."""
    state = _cache_state(base_url, url)
    size = len(fetch_with(base_url + url, BROWSER)[2])
    compared = compare((base_url + url, {}), (base_url + static_url, {}))
    return compared_rows(
        compared,
        names=(
            f"HTTP anonymous {label} ({url}), gzip",
            f"HTTP static twin of {label}, same stack (whitenoise)",
            f"HTTP ratio {label}/static, same stack",
        ),
        target=RATIO_TARGET,
        note=f"{size:,} B sent; {state}",
    )


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


def _measure_pages(base_url: str, pages: dict, static_urls: dict) -> list[Row]:
    rows = []
    for label, url in pages.items():
        try:
            rows += rigour.guarded(
                lambda label=label, url=url: measure_page(
                    base_url, label, url, static_urls[label]
                )
            )
        except Exception as error:
            rows.append(error_row(f"HTTP {label}", error))
    return rows


def _measure_page_views(ctx, base_url: str, pages: dict, static_urls: dict):
    from .http_browser import measure_page_view

    rows = []
    try:
        cookie = trainee_cookie()
        for label in SIGNED_IN_PAGES:
            rows += rigour.guarded(
                lambda label=label: measure_page_view(
                    ctx, base_url, label, pages[label], static_urls[label], cookie
                )
            )
    except Exception as error:
        rows.append(error_row("HTTP signed-in page view", error))
    return rows


def _static_rate(rows: list[Row], label: str) -> float:
    """The median static twin rate of `label`'s rows (0 when not measured)."""
    name = f"HTTP static twin of {label}, same stack (whitenoise)"
    return next((r.value for r in rows if r.name == name and r.value), 0.0)


def _measure_single_server(ctx, pages: dict, static_urls: dict) -> list[Row]:
    from . import data

    with gunicorn_server(ctx) as base_url:
        rows = _measure_pages(base_url, pages, static_urls)
        rows += _measure_page_views(ctx, base_url, pages, static_urls)
        for label in UNCACHED_PAGES:
            try:
                rows.append(measure_uncached(base_url, label, pages[label]))
            except Exception as error:
                rows.append(error_row(f"HTTP {label}, cache bypassed", error))
        try:
            rows.append(
                measure_cross_process_invalidation(ctx, base_url, pages["course page"])
            )
        except Exception as error:
            rows.append(error_row("stale responses after an edit", error))
        try:
            rows += measure_during_enrolments(
                base_url,
                pages["catalogue"],
                _static_rate(rows, "catalogue"),
                data.news_url(),
            )
        except Exception as error:
            rows.append(error_row("HTTP catalogue during enrolments", error))
    return rows


def run(ctx) -> list[Row]:
    from django.conf import settings

    from . import data
    from .http_browser import run_mix

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
        if "pages" in PARTS:
            rows += _measure_single_server(ctx, pages, static_urls)
        if "mix" in PARTS:
            try:
                rows += run_mix(ctx)
            except Exception as error:
                rows.append(error_row("HTTP traffic mix", error))
    finally:
        shutil.rmtree(Path(settings.STATIC_ROOT) / STATIC_SUBDIR, ignore_errors=True)
    return rows
