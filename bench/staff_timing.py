"""One timed figure over HTTP for issue 22's staff, directory and feed rows:
REPEATS GETs (test client, production settings, the bench database) after one
warm-up; the row gives the p95 (the largest of a few samples, nearest rank)
beside its target, the note the median, the spread, the queries and the load
average during the samples. A row taken at load >= the CPU count says so."""

from __future__ import annotations

import os
import statistics

from .report import Row
from .timing import query_count, samples_ms

REPEATS = 7


def load_note() -> tuple[float, str]:
    one, five, fifteen = os.getloadavg()
    note = f"load {one:.2f} {five:.2f} {fifteen:.2f}"
    if one >= (os.cpu_count() or 1):
        note += " (>= CPUs: timing inflated)"
    return one, note


def nearest_rank(samples: list[float], pct: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def http_figure(
    name: str,
    get,
    *,
    target_ms: float,
    repeats: int = REPEATS,
    before=None,
    count_queries: bool = True,
) -> Row:
    """get() makes the request and raises on an unexpected status."""
    get()  # warm-up (this process's templates, the connection)
    samples = samples_ms(get, repeats=repeats, before=before)
    _load, load = load_note()
    queries = query_count(get) if count_queries else None
    p95 = round(nearest_rank(samples, 95), 1)
    note = (
        f"median {statistics.median(samples):.1f} ms, spread "
        f"{min(samples):.1f}-{max(samples):.1f} ms over {repeats}"
        + (f", {queries} queries" if queries is not None else "")
        + f"; {load}"
    )
    return Row(f"{name}, p95", p95, "ms", f"<= {target_ms:g}", p95 <= target_ms, note)


def checked_get(client, url: str, params=None, *, status: int = 200, **headers):
    def get():
        response = client.get(url, params or {}, **headers)
        if response.status_code != status:
            raise RuntimeError(f"GET {url} {params} answered {response.status_code}")
        return response

    return get
