"""How a figure earns its place in the table: repeats, spread and the load.

- Every figure compared with a comparator is taken REPEATS times, interleaved
  with it (A B, B A, A B, ...: a drift of the machine falls on both), and
  reported as the median with its spread (lowest-highest).
- Each measurement records the host's 1-minute load average and CPU pressure
  (/proc/pressure/cpu, "some" avg10) as it starts. One started at a load >= the
  number of CPUs says more about the other processes than about the site: it is
  waited on (the load given QUIET_WAIT_S to fall), re-run once, and its rows are
  marked invalid when the load was still that high.

guarded() gives the rows their load; bench/__main__.py gives the load of its
module's start to every row that has none.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from .report import Row

CPUS = os.cpu_count() or 1
REPEATS = 5
QUIET_WAIT_S = float(os.environ.get("BENCH_QUIET_WAIT_S", 60))


def host_load() -> float:
    return round(os.getloadavg()[0], 2)


def cpu_pressure() -> float | None:
    """Share of the last 10 s in which a runnable task waited for a CPU (%)."""
    try:
        with open("/proc/pressure/cpu") as pressure:
            line = pressure.readline()
    except OSError:
        return None
    for part in line.split():
        if part.startswith("avg10="):
            return float(part.split("=", 1)[1])
    return None


def wait_for_quiet(timeout: float = QUIET_WAIT_S) -> float:
    """Wait (at most timeout s) until the load is below the CPU count."""
    deadline = time.monotonic() + timeout
    load = host_load()
    while load >= CPUS and time.monotonic() < deadline:
        time.sleep(5)
        load = host_load()
    return load


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float
    count: int

    def text(self, unit: str = "", digits: int = 2) -> str:
        return (
            f"median of {self.count} {self.median:.{digits}f}{unit}, "
            f"spread {self.low:.{digits}f}-{self.high:.{digits}f}{unit}"
        )


def spread(samples: list[float]) -> Spread:
    return Spread(
        median=statistics.median(samples),
        low=min(samples),
        high=max(samples),
        count=len(samples),
    )


def interleaved(
    measures: dict[str, Callable[[], float]], *, repeats: int = REPEATS
) -> dict[str, list[float]]:
    """Each measure `repeats` times, in turn, the order reversed every round."""
    samples: dict[str, list[float]] = {name: [] for name in measures}
    names = list(measures)
    for round_ in range(repeats):
        for name in names if round_ % 2 == 0 else reversed(names):
            samples[name].append(measures[name]())
    return samples


def ratio_samples(numerators: list[float], denominators: list[float]) -> list[float]:
    """The ratio of each round's pair (measured side by side)."""
    return [a / b if b else 0.0 for a, b in zip(numerators, denominators, strict=True)]


def guarded(measure: Callable[[], list[Row]]) -> list[Row]:
    """The rows of measure(), with the load they were taken at.

    Started at a load >= CPUS: the load is given time to fall, the measurement
    is re-run once, and its rows marked invalid if the load was still too high.
    """
    rows: list[Row] = []
    for attempt in (1, 2):
        if attempt == 2:
            wait_for_quiet()
        load, pressure = host_load(), cpu_pressure()
        rows = measure()
        invalid = load >= CPUS
        if not invalid:
            break
    after = host_load()
    where = f"load {load:.2f} -> {after:.2f} ({CPUS} CPUs)"
    if pressure is not None:
        where += f", CPU pressure {pressure:.0f} %"
    if invalid:
        where += f"; INVALID: started at load >= {CPUS} twice"
    for row in rows:
        row.load = load
        row.invalid = invalid
        row.note = f"{row.note}; {where}" if row.note else where
    return rows
