"""The bench's rigour: interleaved repeats, the load per row, --strict, and the
traffic mix's sequence (no server, no clock: the load is given)."""

import pytest

from bench import __main__ as bench_main
from bench import http_browser, rigour
from bench.report import Row, render_table


def test_measures_are_interleaved_and_reversed_every_round():
    order = []
    samples = rigour.interleaved(
        {"a": lambda: order.append("a") or 1.0, "b": lambda: order.append("b") or 2.0},
        repeats=5,
    )
    assert order == ["a", "b", "b", "a", "a", "b", "b", "a", "a", "b"]
    assert samples == {"a": [1.0] * 5, "b": [2.0] * 5}


def test_ratios_pair_each_round_and_spread_gives_median_and_range():
    ratios = rigour.ratio_samples([50, 60, 70], [100, 100, 0])
    assert ratios == [0.5, 0.6, 0.0]
    spread = rigour.spread([3.0, 1.0, 2.0, 10.0, 4.0])
    assert (spread.median, spread.low, spread.high, spread.count) == (3.0, 1.0, 10.0, 5)
    assert spread.text(" ms", 1) == "median of 5 3.0 ms, spread 1.0-10.0 ms"


def test_a_row_started_at_a_high_load_is_rerun_once_then_marked_invalid(monkeypatch):
    loads = iter([5.0, 4.0, 3.5])  # first try, second try, after
    monkeypatch.setattr(rigour, "CPUS", 2)
    monkeypatch.setattr(rigour, "host_load", lambda: next(loads))
    monkeypatch.setattr(rigour, "cpu_pressure", lambda: 40.0)
    monkeypatch.setattr(rigour, "wait_for_quiet", lambda: 4.0)
    runs = []

    def measure():
        runs.append(1)
        return [Row("figure", 1.0, "req/s", ">= 0.5", True)]

    rows = rigour.guarded(measure)
    assert len(runs) == 2
    assert rows[0].invalid is True
    assert rows[0].load == 4.0
    assert "INVALID" in rows[0].note
    assert "yes (invalid: load)" in render_table(rows)


def test_a_row_at_a_low_load_runs_once_and_is_valid(monkeypatch):
    loads = iter([0.5, 1.9])
    monkeypatch.setattr(rigour, "CPUS", 2)
    monkeypatch.setattr(rigour, "host_load", lambda: next(loads))
    monkeypatch.setattr(rigour, "cpu_pressure", lambda: None)
    runs = []
    rows = rigour.guarded(lambda: runs.append(1) or [Row("figure", 1.0, "ms")])
    assert len(runs) == 1
    assert (rows[0].load, rows[0].invalid) == (0.5, False)
    assert rows[0].note == "load 0.50 -> 1.90 (2 CPUs)"
    assert rows[0].as_json()["load"] == 0.5
    assert "invalid" not in rows[0].as_json()


@pytest.mark.parametrize(("strict", "status"), [(False, 0), (True, 1)])
def test_strict_fails_the_run_when_a_target_is_missed(
    monkeypatch, tmp_path, strict, status
):
    class Missed:
        @staticmethod
        def run(ctx):
            return [Row("figure", 0.2, "ratio", ">= 0.5", False)]

    class Ctx:
        setup_seconds = {"migrate": 1.0}
        db_name = "bench"

    monkeypatch.setattr("bench.environment.prepare", lambda reuse_db: Ctx())
    monkeypatch.setattr(bench_main, "MODULES", ["bench.missed"])
    monkeypatch.setattr(bench_main.importlib, "import_module", lambda path: Missed)
    monkeypatch.setattr(bench_main, "write_results", lambda rows: tmp_path / "r.json")
    argv = ["--reuse-db"] + (["--strict"] if strict else [])
    assert bench_main.main(argv) == status


def test_the_mix_visits_every_course_page_in_the_weights_proportion():
    pages = {
        "course page (it)": [f"/corsi/c{n}/" for n in range(100)],
        "course page (en)": [f"/en/courses/c{n}/" for n in range(40)],
        "catalogue": ["/corsi/"],
        "catalogue, filtered": ["/corsi/?area=cnc", "/corsi/?q=robot"],
        "catalogue, deep page": ["/corsi/?page=2", "/corsi/?page=9"],
        "news": ["/news/a/"],
        "home": ["/"],
    }
    sequence = http_browser.mix_sequence(pages)
    assert len(sequence) == http_browser.MIX_LENGTH
    assert set(pages["course page (it)"] + pages["course page (en)"]) <= set(sequence)
    assert sequence == http_browser.mix_sequence(pages)  # a fixed order
    home_share = sequence.count("/") / len(sequence)
    expected = http_browser.MIX_WEIGHTS["home"] / sum(http_browser.MIX_WEIGHTS.values())
    assert abs(home_share - expected) < 0.03
