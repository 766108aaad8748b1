"""`python -m bench` (= `make bench`): one table, and bench/results.json.

Options (none needed): --only NAME [--only NAME ...] runs only those modules
(by NAME or module path); --list prints the registered modules.
Exit status: 0 when every figure was measured (targets missed or not), 1 when a
figure could not be measured; with --strict also 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback

from .registry import MODULES
from .report import Row, error_row, render_table, write_results
from .rigour import CPUS, host_load


def _selected(only: list[str]) -> list[str]:
    if not only:
        return list(MODULES)
    wanted = set(only)
    return [m for m in MODULES if m in wanted or m.rsplit(".", 1)[-1] in wanted]


def _load_row(when: str) -> Row:
    """The machine's 1-minute load average: timings are only comparable when low."""
    load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    return Row(
        f"host load average (1 min) {when}, {cpus} CPUs",
        round(load, 2),
        "",
        f"< {cpus} for clean timings",
        None,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("--list", action="store_true")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="keep the previous run's database (quicker; no 5-course comparison)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a row misses its target, too",
    )
    args = parser.parse_args(argv)
    modules = _selected(args.only)
    if args.list:
        print("\n".join(MODULES))
        return 0
    if not modules:
        parser.error(f"no registered module matches {args.only}")

    from .environment import prepare

    started = time.perf_counter()
    rows: list[Row] = [_load_row("at start")]
    print(
        "bench: preparing the PostgreSQL database"
        + (" (reused) ..." if args.reuse_db else " (fresh) ..."),
        flush=True,
    )
    try:
        ctx = prepare(reuse_db=args.reuse_db)
    except Exception as error:
        traceback.print_exc()
        rows.append(error_row("bench setup", error))
        print(render_table(rows))
        write_results(rows)
        return 1
    rows.append(
        Row(
            "setup: migrate the database"
            + (" (reused)" if args.reuse_db else " (fresh)"),
            round(ctx.setup_seconds["migrate"], 1),
            "s",
        )
    )
    for module_path in modules:
        print(f"bench: running {module_path} ...", flush=True)
        module_started = time.perf_counter()
        load = host_load()
        try:
            module = importlib.import_module(module_path)
            module_rows = module.run(ctx)
        except Exception as error:
            traceback.print_exc()
            module_rows = [error_row(f"{module_path} (module failed)", error)]
        for row in module_rows:  # rows that did not record their own load
            if row.load is None:
                row.load = load
                row.invalid = load >= CPUS
        rows.extend(module_rows)
        print(
            f"bench: {module_path} took {time.perf_counter() - module_started:.0f} s",
            flush=True,
        )

    rows.append(_load_row("at end"))
    print()
    print(render_table(rows))
    path = write_results(rows)
    print(
        f"\nwritten to {path} (database {ctx.db_name} kept for inspection); "
        f"total {time.perf_counter() - started:.0f} s"
    )
    if any(row.value is None for row in rows):
        return 1
    missed = [row.name for row in rows if row.meets is False]
    if args.strict and missed:
        print(
            f"bench --strict: {len(missed)} target(s) missed: " + "; ".join(missed),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
