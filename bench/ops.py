"""Operations rows (issue 25): an app server's memory over 10,000 requests, a
task's latency on an idle worker, a bulk certificate run's throughput through
the real queue (the last two: bench/ops_tasks.py).

Memory: one app server as deployed (gunicorn with deploy/gunicorn.conf.py,
2 sync workers, production settings) but with worker recycling off
(`--max-requests 0`; production replaces a worker after ~5,000 requests,
which would hide a leak). 4 clients send a mix of requests: cached and
uncached public pages (a messages cookie bypasses the page cache), a trainee's
own pages, the health probe and pages that are not there. The RSS of the
master and its workers, summed, after the first MEMORY_FIRST requests and
after MEMORY_REQUESTS: the later within MEMORY_GROWTH of the earlier.
"""

from __future__ import annotations

import http.client
import itertools
import os
import subprocess
import threading
import time
from collections import Counter

from . import ops_tasks
from .report import Row, error_row

NAME = "ops"
MEMORY_WORKERS = 2  # per app server, as make serve-prod runs them
MEMORY_REQUESTS = 10_000
MEMORY_FIRST = 1_000
MEMORY_GROWTH = 0.20
CLIENTS = 4


def _mixed_requests() -> list[tuple[str, dict[str, str]]]:
    """One round of the mix: (path, headers)."""
    from django.urls import reverse

    from . import data
    from .http import trainee_cookie

    data.ensure_dataset(courses=5)
    signed_in = {"Cookie": trainee_cookie()}
    uncached = {"Cookie": "messages=bench"}
    catalogue = data.catalogue_url()
    courses = [data.course_url(n) for n in range(1, 6)]
    fragments = reverse("portal:fragments") + "?next=" + catalogue
    return [
        (data.home_url(), {}),
        (catalogue, {}),
        *((course, {}) for course in courses),
        (data.news_url(), {}),
        (catalogue, uncached),
        (courses[0], uncached),
        (courses[1], uncached),
        (reverse("enrolment:my_courses"), signed_in),
        (fragments, signed_in),
        ("/healthz", {}),
        ("/not-there/{n}/", {}),
    ]


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _server_pids(workers: int, timeout: float = 60) -> list[int]:
    """The gunicorn master this process started (the only one: gunicorn's
    process titles do not show the address) and its workers, once all are
    there (the master listens before it forks them)."""
    deadline = time.monotonic() + timeout
    while True:
        listing = subprocess.run(
            ["ps", "-ww", "-e", "-o", "pid=,ppid=,args="],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rows = [line.split(None, 2) for line in listing.splitlines()]
        master = next(
            int(pid)
            for pid, ppid, args in rows
            if int(ppid) == os.getpid() and args.startswith("gunicorn: master")
        )
        children = [int(pid) for pid, ppid, _ in rows if int(ppid) == master]
        if len(children) >= workers or time.monotonic() > deadline:
            return [master, *children]
        time.sleep(0.2)


def _send(host: str, port: int, requests, count: int) -> Counter:
    """`count` requests of the mix over CLIENTS threads; their statuses
    (-1: the connection failed)."""
    feed = itertools.islice(requests, count)
    lock = threading.Lock()
    statuses: Counter = Counter()

    def client() -> None:
        while True:
            with lock:
                item = next(feed, None)
            if item is None:
                return
            number, (path, headers) = item
            connection = http.client.HTTPConnection(host, port, timeout=60)
            try:
                connection.request("GET", path.format(n=number), headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = -1
            finally:
                connection.close()
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def memory_rows(ctx) -> list[Row]:
    from .http import gunicorn_server

    name = f"ops app server memory after {MEMORY_REQUESTS:,} mixed requests"
    config = str(ctx.base_dir / "deploy" / "gunicorn.conf.py")
    try:
        mix = _mixed_requests()
        requests = enumerate(itertools.cycle(mix))
        with gunicorn_server(
            ctx,
            workers=MEMORY_WORKERS,
            extra_args=("--config", config, "--max-requests", "0"),
        ) as base_url:
            host, port = base_url.removeprefix("http://").rsplit(":", 1)
            pids = _server_pids(MEMORY_WORKERS)
            statuses = _send(host, int(port), requests, MEMORY_FIRST)
            first = {pid: _rss_kb(pid) for pid in pids}
            statuses += _send(host, int(port), requests, MEMORY_REQUESTS - MEMORY_FIRST)
            later = {pid: _rss_kb(pid) for pid in pids}
    except Exception as error:  # noqa: BLE001 - one error row, not a crash
        return [error_row(name, error)]
    return _memory_figures(name, pids, first, later, statuses, len(mix))


def _memory_figures(name, pids, first, later, statuses, kinds) -> list[Row]:
    failed = sum(n for status, n in statuses.items() if status < 0 or status >= 500)
    answers = ", ".join(f"{n} x {status}" for status, n in sorted(statuses.items()))
    before_mb = sum(first.values()) / 1024
    after_mb = sum(later.values()) / 1024
    limit = before_mb * (1 + MEMORY_GROWTH)
    processes = ", ".join(
        f"{first[pid] / 1024:.0f} -> {later[pid] / 1024:.0f}" for pid in pids
    )
    return [
        Row(
            f"ops app server memory after {MEMORY_FIRST:,} requests",
            round(before_mb, 1),
            "MB",
            "",
            None,
            f"RSS of the master and its {MEMORY_WORKERS} workers, summed",
        ),
        Row(
            name,
            round(after_mb, 1),
            "MB",
            f"<= {limit:.1f} (+{MEMORY_GROWTH:.0%})",
            after_mb <= limit and failed == 0,
            f"growth {after_mb / before_mb - 1:+.1%}; per process (master "
            f"first) {processes} MB; {kinds} kinds of request, answered "
            f"{answers}; worker recycling off; {ops_tasks.load_average()}",
        ),
    ]


def run(ctx) -> list[Row]:
    rows = memory_rows(ctx)
    rows += ops_tasks.latency_rows(ctx)
    rows += ops_tasks.bulk_rows(ctx)
    return rows
