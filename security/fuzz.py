"""Fuzz of every public list/filter URL's query string (hypothesis).

TARGETS names each public list and the parameters its filters read; the strategy
mixes well-formed values, out-of-range ones and arbitrary text (quotes, NULs,
full-text syntax, very long strings, repeated keys). A 5xx is a failure; any
other answer (200, 400, 404, 429) is the filter doing its job. Used live against
gunicorn on PostgreSQL (security.live) and in-process on SQLite
(tests/security/test_query_fuzz.py).
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TARGETS: dict[str, tuple[str, ...]] = {
    "/corsi/": ("q", "area", "competency", "eqf", "month", "language", "seats", "page"),
    "/en/courses/": (
        "q",
        "area",
        "competency",
        "eqf",
        "month",
        "language",
        "seats",
        "page",
    ),
    # The certificate verification lookup (a public form with a code).
    "/verify/": ("code",),
}

_NASTY = [
    '"',
    "'",
    "%",
    "\\",
    "\x00",
    "' OR 1=1 --",
    '"a" -b | c & !d',
    "<script>alert(1)</script>",
    "0001-01",
    "9999-99",
    "2026-13",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "../../etc/passwd",
    "ü" * 300,
    "a" * 5000,
]

values = st.one_of(
    st.sampled_from(_NASTY),
    st.text(max_size=300),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(lambda d: d.strftime("%Y-%m")),
    st.sampled_from(["it", "en", "additive", "1", "8", "true", "on", ""]),
)


def query_strategy(params: tuple[str, ...]):
    """A list of (key, value) pairs: keys the filters read, sometimes repeated,
    sometimes unknown ones."""
    keys = st.one_of(st.sampled_from(params), st.text(min_size=1, max_size=20))
    return st.lists(st.tuples(keys, values), max_size=8)


def fuzz(
    get: Callable[[str, list[tuple[str, str]]], int], *, examples: int
) -> dict[str, str]:
    """Runs hypothesis on every target; {path: '' if it held, else the failure}."""
    results = {}
    for path, params in TARGETS.items():
        results[path] = _fuzz_one(get, path, params, examples)
    return results


def _fuzz_one(get, path: str, params: tuple[str, ...], examples: int) -> str:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(query_strategy(params))
    def probe(query):
        status = get(path, query)
        assert status < 500, f"{status} for {path}?{query!r}"

    try:
        probe()
    except AssertionError as error:
        return str(error).splitlines()[0][:300]
    return ""
