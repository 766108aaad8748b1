"""How the bench modules time a call and count its queries, in one place."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def samples_ms(
    fn: Callable[[], object],
    *,
    repeats: int,
    before: Callable[[], object] | None = None,
) -> list[float]:
    """Wall time (ms) of `repeats` calls of fn; `before` runs untimed before each."""
    samples = []
    for _ in range(repeats):
        if before is not None:
            before()
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def median_ms(fn: Callable[[], object], *, repeats: int, digits: int = 2) -> float:
    return round(statistics.median(samples_ms(fn, repeats=repeats)), digits)


def percentile(samples: list[float], pct: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def query_count(fn: Callable[[], object]) -> int:
    """Queries of one call of fn. Counted as the block ends: a later test-client
    request's request_started signal empties Django's query log."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)
